import { appendFile, mkdir, open, readFile, rename, stat } from 'node:fs/promises';
import * as vscode from 'vscode';
import { journalFolder, journalUri, MAX_JOURNAL_BYTES, parseJournal, serialiseEntry, URI, type JournalEntry } from './shared/journal';

async function endsWithLineBreak(file: string, size: number): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const last = Buffer.alloc(1);
    await handle.read(last, 0, 1, size - 1);
    return last[0] === 0x0a;
  } finally {
    await handle.close();
  }
}

/** Where DirectoryWrites records each change. */
export interface JournalSink {
  append(entry: JournalEntry): Promise<void>;
}

/**
 * The per-tenant journal files in the extension's global storage (see src/shared/journal.ts for the format).
 * Appends are queued, each one line written with a single `appendFile` (O_APPEND), so lines never interleave; when a
 * line would take the file past MAX_JOURNAL_BYTES the file becomes `<tenant>.1.jsonl` (replacing the older one) and a
 * new file starts. A failing append is logged, never turned into a failure of the change it records.
 */
export class JournalStore implements JournalSink, vscode.Disposable {
  private queue: Promise<void> = Promise.resolve();
  private readonly emitter = new vscode.EventEmitter<JournalEntry>();
  /** Fires after an entry was written. */
  readonly onDidAppend = this.emitter.event;
  constructor(
    /** The extension's global storage folder; read only when the journal is first written or read. */
    private readonly storageUri: { toString(): string },
    /** The signed-in tenant, whose journal History reads. */
    private readonly tenantId: () => string | undefined,
    private readonly log: Pick<vscode.LogOutputChannel, 'warn'>,
    private readonly maxBytes = MAX_JOURNAL_BYTES,
  ) {}

  private get storage(): URI {
    return URI.parse(this.storageUri.toString());
  }

  append(entry: JournalEntry): Promise<void> {
    const line = serialiseEntry(entry);
    const write = this.queue.then(async () => {
      const file = journalUri(this.storage, entry.who.tenantId).fsPath;
      await mkdir(journalFolder(this.storage).fsPath, { recursive: true });
      const size = await stat(file).then((s) => s.size, () => 0);
      if (size > 0 && size + Buffer.byteLength(line) > this.maxBytes) {
        await rename(file, journalUri(this.storage, entry.who.tenantId, true).fsPath);
        await appendFile(file, line, 'utf8');
      } else {
        // A line cut short (the editor closed mid-write) is ended first, so it cannot swallow this entry.
        await appendFile(file, size > 0 && !(await endsWithLineBreak(file, size)) ? `\n${line}` : line, 'utf8');
      }
    });
    this.queue = write.then(
      () => this.emitter.fire(entry),
      (e: unknown) => this.log.warn(`The change journal could not be written (${e instanceof Error ? e.message : String(e)}); the change's outcome (${entry.outcome}) is not affected.`),
    );
    return this.queue;
  }

  /** The signed-in tenant's entries, oldest first (the rotated file, then the current one); damaged lines are logged and skipped. */
  async read(): Promise<JournalEntry[]> {
    await this.queue;
    const entries: JournalEntry[] = [];
    for (const rotated of [true, false]) {
      const uri = journalUri(this.storage, this.tenantId(), rotated);
      const text = await readFile(uri.fsPath, 'utf8').catch(() => '');
      const reading = parseJournal(text);
      for (const skipped of reading.skipped) this.log.warn(`Change journal ${uri.fsPath}, line ${skipped.line} skipped: ${skipped.reason}.`);
      entries.push(...reading.entries);
    }
    return entries;
  }

  dispose(): void {
    this.emitter.dispose();
  }
}
