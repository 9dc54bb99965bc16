import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import type { URI} from 'vscode-uri';
import { Utils } from 'vscode-uri';
import { CACHE_VERSION, DirectoryCache } from '../core';

/** Which directory a cache file belongs to: one file per tenant and cloud. */
export interface CacheKey {
  tenantId: string;
  /** The Graph base URL of the cloud (global, US Government, China…). */
  graphBaseUrl: string;
}

const PREFIX = 'directory-cache-';

/**
 * The directory caches on disk, in the extension's global storage: one JSON file per tenant and cloud, written to a
 * temporary file and renamed over the old one, so that a reader (another window) sees either the old or the new file,
 * never half of one; when two windows save, the last one wins. A file that cannot be read or trusted is logged and
 * ignored: the cache is rebuilt from Graph. Files hold directory fields and delta links only, never tokens.
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
      value = JSON.parse(text);
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

  /** Whether a saved copy exists for `key` (it may still turn out unusable when it is loaded). */
  async exists(key: CacheKey): Promise<boolean> {
    try {
      return (await stat(this.fileOf(key).fsPath)).isFile();
    } catch {
      return false;
    }
  }

  /** Saves a complete cache atomically; an incomplete one is not saved. Failures are logged, never thrown. */
  async save(key: CacheKey, cache: DirectoryCache): Promise<boolean> {
    const snapshot = cache.snapshot();
    if (!snapshot) return false;
    const file = this.fileOf(key);
    // A name of its own per write: two windows saving at once never share a temporary file.
    const temp = Utils.joinPath(this.root, `${Utils.basename(file)}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
    try {
      await mkdir(this.root.fsPath, { recursive: true });
      await writeFile(temp.fsPath, JSON.stringify(snapshot), { encoding: 'utf8', mode: 0o600 });
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

/** Keeps a name to letters, digits, dots and dashes, so that no key can leave the storage folder. */
function safeName(value: string): string {
  return value.toLowerCase().replace(/[^a-z0-9.-]/g, '_').replace(/^\.+/, '_');
}

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
