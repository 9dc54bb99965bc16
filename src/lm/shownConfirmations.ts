import { createHash } from 'node:crypto';
import type { ToolReply } from './toolReply';

/** What one prepared write showed: a change to confirm, or a refusal (then `invoke` answers with it). */
export interface ShownConfirmation {
  refusal?: ToolReply;
}

interface Entry {
  key: string;
  expires: number;
  shown: ShownConfirmation;
}

/**
 * The write confirmations a runtime has returned and not yet used. VS Code's stable API gives `prepareInvocation` the
 * input only (no call id; the invocation token reaches `invoke` alone) and, once the user confirmed, calls `invoke` with
 * that same input; so the tool's name and its input, canonically serialised, tie an invoke to its confirmation. Each
 * confirmation is good for one invoke, for `ttlMs`: older ones may describe a directory that has changed since.
 */
export class ShownConfirmations {
  private entries: Entry[] = [];

  constructor(
    private readonly now: () => number,
    private readonly ttlMs: number,
    /** Prepared calls that are never invoked (the user said no) must not pile up. */
    private readonly max = 256,
  ) {}

  record(tool: string, input: unknown, shown: ShownConfirmation): void {
    const key = keyOf(tool, input);
    if (key === undefined) return;
    const now = this.now();
    this.entries = this.entries.filter((e) => e.expires > now);
    this.entries.push({ key, expires: now + this.ttlMs, shown });
    if (this.entries.length > this.max) this.entries.splice(0, this.entries.length - this.max);
  }

  /** The oldest live confirmation of exactly this call, used up; undefined when there is none. */
  take(tool: string, input: unknown): ShownConfirmation | undefined {
    const key = keyOf(tool, input);
    const now = this.now();
    this.entries = this.entries.filter((e) => e.expires > now);
    const at = key === undefined ? -1 : this.entries.findIndex((e) => e.key === key);
    if (at < 0) return undefined;
    const [entry] = this.entries.splice(at, 1);
    return entry?.shown;
  }
}

/** SHA-256 of the tool name and the input with object keys sorted; undefined for input that is not JSON. */
function keyOf(tool: string, input: unknown): string | undefined {
  let json: string | undefined;
  try {
    json = JSON.stringify(canonical(input));
  } catch {
    return undefined;
  }
  return createHash('sha256').update(tool).update('\u0000').update(json ?? 'undefined').digest('hex');
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    return Object.fromEntries(Object.keys(o).sort().map((k) => [k, canonical(o[k])]));
  }
  return value;
}
