import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import type { URI } from 'vscode-uri';
import { Utils } from 'vscode-uri';
import { CACHE_VERSION, DirectoryCache, firstScreenOf, LocalSearch, readFirstScreen, savedFirstScreen, type FirstScreen } from '../core';

/** Which directory a cache file belongs to: one file per tenant and cloud. */
export interface CacheKey {
  tenantId: string;
  /** The Graph base URL of the cloud (global, US Government, China…). */
  graphBaseUrl: string;
}

const PREFIX = 'directory-cache-';
/** The first screen's rows when the caller names no page size: the views' default. */
const DEFAULT_FIRST_SCREEN_ROWS = 100;
/** A first screen longer than this is not read ahead (999 rows a list fit in well under a megabyte). */
const MAX_HEAD_BYTES = 4 << 20;

/**
 * The directory caches on disk, in the extension's global storage: one JSON file per tenant and cloud, written to a
 * temporary file and renamed over the old one, so that a reader (another window) sees either the old or the new file,
 * never half of one; when two windows save, the last one wins. A file that cannot be read or trusted is logged and
 * ignored: the cache is rebuilt from Graph. Files hold directory fields and delta links only, never tokens.
 *
 * A file is two lines of JSON: the views' first pages (firstScreen.ts), read alone at a warm start so the views show at
 * once, then the whole copy. JSON text never holds a raw line break, so the first one ends the head.
 */
export class DirectoryCacheStore {
  constructor(
    private readonly root: URI,
    private readonly log: { info(message: string): void; warn(message: string): void },
  ) {}

  /** The saved cache for `key`, or undefined when there is none usable (the reason is logged). */
  async load(key: CacheKey): Promise<DirectoryCache | undefined> {
    const file = this.fileOf(key);
    let text: string;
    try {
      text = await readFile(file.fsPath, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') this.log.warn(`The directory cache could not be read (${describe(e)}); it is rebuilt from Microsoft Graph.`);
      return undefined;
    }
    let value: unknown;
    try {
      value = JSON.parse(text.slice(text.indexOf('\n') + 1));
    } catch {
      this.log.warn(`The directory cache file ${Utils.basename(file)} is not valid JSON; it is ignored and rebuilt from Microsoft Graph.`);
      return undefined;
    }
    const loaded = DirectoryCache.fromSnapshot(value, new URL(key.graphBaseUrl).origin);
    if ('problem' in loaded) {
      this.log.warn(`The directory cache file ${Utils.basename(file)} is ignored because ${loaded.problem}; it is rebuilt from Microsoft Graph.`);
      return undefined;
    }
    return loaded.cache;
  }

  /**
   * The first pages saved with the copy for `key`, read without the rest of the file; undefined when there is no file
   * or its head cannot be used (the views then wait for the copy).
   */
  async loadFirstScreen(key: CacheKey): Promise<FirstScreen | undefined> {
    let head: string | undefined;
    try {
      head = await readHead(this.fileOf(key).fsPath);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') this.log.warn(`The directory cache's first screen could not be read (${describe(e)}).`);
      return undefined;
    }
    try {
      return head === undefined ? undefined : readFirstScreen(JSON.parse(head));
    } catch {
      return undefined;
    }
  }

  /** Whether a saved copy exists for `key` (it may still turn out unusable when it is loaded). */
  async exists(key: CacheKey): Promise<boolean> {
    try {
      return (await stat(this.fileOf(key).fsPath)).isFile();
    } catch {
      return false;
    }
  }

  /**
   * Saves a complete cache atomically, headed by its first screen (from `search`, the copy's listing, `rows` a list);
   * an incomplete one is not saved. Failures are logged, never thrown.
   */
  async save(key: CacheKey, cache: DirectoryCache, search = new LocalSearch(cache), rows = DEFAULT_FIRST_SCREEN_ROWS): Promise<boolean> {
    const snapshot = cache.snapshot();
    if (!snapshot) return false;
    const text = `${JSON.stringify(savedFirstScreen(firstScreenOf(search, rows)))}\n${JSON.stringify(snapshot)}`;
    const file = this.fileOf(key);
    // A name of its own per write: two windows saving at once never share a temporary file.
    const temp = Utils.joinPath(this.root, `${Utils.basename(file)}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
    try {
      await mkdir(this.root.fsPath, { recursive: true });
      await writeFile(temp.fsPath, text, { encoding: 'utf8', mode: 0o600 });
      await rename(temp.fsPath, file.fsPath);
      return true;
    } catch (e) {
      this.log.warn(`The directory cache could not be saved (${describe(e)}); it is rebuilt at the next start.`);
      await rm(temp.fsPath, { force: true }).catch(() => undefined);
      return false;
    }
  }

  /** Removes every directory cache (sign-out): no copy of any tenant's directory stays behind. */
  async clear(): Promise<void> {
    let names: string[];
    try {
      names = await readdir(this.root.fsPath);
    } catch {
      return;
    }
    await Promise.all(names.filter((n) => n.startsWith(PREFIX)).map((n) => rm(Utils.joinPath(this.root, n).fsPath, { force: true }).catch(() => undefined)));
    this.log.info('The saved directory caches were removed.');
  }

  fileOf(key: CacheKey): URI {
    return Utils.joinPath(this.root, `${PREFIX}v${CACHE_VERSION}-${safeName(new URL(key.graphBaseUrl).host)}-${safeName(key.tenantId)}.json`);
  }
}

/** The file's first line, read in chunks; undefined when no line break comes within {@link MAX_HEAD_BYTES}. */
async function readHead(path: string): Promise<string | undefined> {
  const file = await open(path, 'r');
  try {
    const chunks: Buffer[] = [];
    let read = 0;
    while (read < MAX_HEAD_BYTES) {
      const chunk = Buffer.alloc(read === 0 ? 64 << 10 : read);
      const { bytesRead } = await file.read(chunk, 0, chunk.length, read);
      if (bytesRead === 0) return undefined;
      const end = chunk.subarray(0, bytesRead).indexOf(0x0a);
      chunks.push(chunk.subarray(0, end >= 0 ? end : bytesRead));
      if (end >= 0) return Buffer.concat(chunks).toString('utf8');
      read += bytesRead;
    }
    return undefined;
  } finally {
    await file.close();
  }
}

/** Keeps a name to letters, digits, dots and dashes, so that no key can leave the storage folder. */
function safeName(value: string): string {
  return value.toLowerCase().replace(/[^a-z0-9.-]/g, '_').replace(/^\.+/, '_');
}

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
