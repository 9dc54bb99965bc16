import type { JournalSink } from '../../src/journalStore';
import { parseJournal, serialiseEntry, type JournalEntry } from '../../src/shared/journal';
import { EventEmitter } from './vscodeFake';

/**
 * The journal as test services keep it: the same lines the store writes (serialised and read back with the real
 * format code), in memory, so tests can see what the write path recorded.
 */
export class MemoryJournal implements JournalSink {
  lines: string[] = [];
  private readonly emitter = new EventEmitter<JournalEntry>();
  readonly onDidAppend = this.emitter.event;

  append(entry: JournalEntry): Promise<void> {
    this.lines.push(serialiseEntry(entry));
    this.emitter.fire(entry);
    return Promise.resolve();
  }

  read(): Promise<JournalEntry[]> {
    return Promise.resolve(this.entries());
  }

  entries(): JournalEntry[] {
    return parseJournal(this.lines.join('')).entries;
  }
}
