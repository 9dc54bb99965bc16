import { randomBytes } from 'node:crypto';
import { GraphError } from './errors.js';

/**
 * Server-side cursors behind $skiptoken. The first page snapshots the matching ids
 * once; every later page is a slice, so enumerating 100k users costs O(n) overall.
 * The token carries the offset, so re-requesting the same next link (a client
 * retrying after a fault) returns the same page again.
 */
interface Cursor {
  ids: readonly string[];
  /** Identifies the query the cursor belongs to; a token replayed on another query is rejected. */
  key: string;
  lastUsed: number;
}

export class CursorStore {
  private readonly cursors = new Map<string, Cursor>();

  constructor(
    private readonly maxCursors = 256,
    private readonly ttlMs = 30 * 60_000,
  ) {}

  create(ids: readonly string[], key: string): string {
    this.evict();
    const id = randomBytes(9).toString('base64url');
    this.cursors.set(id, { ids, key, lastUsed: Date.now() });
    return id;
  }

  /** Resolves a $skiptoken to the snapshot and offset, or throws Graph's page-token errors. */
  resolve(token: string, key: string): { ids: readonly string[]; offset: number; cursorId: string } {
    const parsed = decodeSkipToken(token);
    if (!parsed) throw new GraphError(400, 'Request_BadRequest', `Invalid skip token '${token}'.`);
    const cursor = this.cursors.get(parsed.cursorId);
    if (!cursor || Date.now() - cursor.lastUsed > this.ttlMs) {
      throw new GraphError(
        400,
        'Directory_ExpiredPageToken',
        'The specified page token value has expired and can no longer be included in your request.',
      );
    }
    if (cursor.key !== key) throw new GraphError(400, 'Request_BadRequest', 'The skip token does not match the query it is used with.');
    // Refresh recency so long enumerations are not evicted midway.
    this.cursors.delete(parsed.cursorId);
    cursor.lastUsed = Date.now();
    this.cursors.set(parsed.cursorId, cursor);
    return { ids: cursor.ids, offset: parsed.offset, cursorId: parsed.cursorId };
  }

  get size(): number {
    return this.cursors.size;
  }

  private evict(): void {
    const now = Date.now();
    for (const [id, c] of this.cursors) {
      if (this.cursors.size < this.maxCursors && now - c.lastUsed <= this.ttlMs) break;
      this.cursors.delete(id);
    }
  }
}

const TOKEN_PREFIX = 'RFNwdAIAAQAAA';

export function encodeSkipToken(cursorId: string, offset: number): string {
  return TOKEN_PREFIX + Buffer.from(`${cursorId}:${offset}`).toString('base64url');
}

export function decodeSkipToken(token: string): { cursorId: string; offset: number } | undefined {
  if (!token.startsWith(TOKEN_PREFIX)) return undefined;
  const raw = Buffer.from(token.slice(TOKEN_PREFIX.length), 'base64url').toString();
  const m = /^([A-Za-z0-9_-]+):(\d+)$/.exec(raw);
  if (!m) return undefined;
  return { cursorId: m[1] ?? '', offset: Number(m[2]) };
}
