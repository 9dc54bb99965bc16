import { fail, ok } from './errors';
import type { GraphTransport } from './http';
import { ErrorCodes, type Page, type PageCursor, type Result } from './types';

interface CollectionBody<T> {
  value?: T[];
  '@odata.nextLink'?: string;
}

function isCollection<T>(body: unknown): body is CollectionBody<T> {
  return typeof body === 'object' && body !== null && Array.isArray((body as CollectionBody<T>).value);
}

export function cursor<T>(url: string, advanced: boolean): PageCursor<T> {
  return { url, advanced };
}

/** Reads one page. A nextLink that leaves the configured Graph origin fails the call rather than being followed. */
export async function readPage<T>(transport: GraphTransport, at: PageCursor<T>, signal?: AbortSignal): Promise<Result<Page<T>>> {
  const result = await transport.send({ method: 'GET', url: at.url, advanced: at.advanced, ...(signal ? { signal } : {}) });
  if (!result.success) return result;
  const body = result.data.body;
  if (!isCollection<T>(body)) {
    return fail({ code: ErrorCodes.invalidResponse, message: 'Graph answered a list request without a "value" array.', status: result.data.status, ...(result.data.requestId ? { requestId: result.data.requestId } : {}) });
  }
  const nextLink = body['@odata.nextLink'];
  if (nextLink !== undefined) {
    if (typeof nextLink !== 'string' || !transport.isOwnUrl(nextLink)) {
      return fail({
        code: ErrorCodes.foreignNextLink,
        message: `Graph returned a next-page link outside ${transport.base.origin}; the list was not completed rather than sending credentials elsewhere.`,
        ...(result.data.requestId ? { requestId: result.data.requestId } : {}),
      });
    }
    // The same headers (ConsistencyLevel) go with every page: Graph does not carry them over.
    return ok({ items: body.value ?? [], next: cursor<T>(nextLink, at.advanced) });
  }
  return ok({ items: body.value ?? [] });
}

/** Follows nextLinks until the list ends or `maxItems` is met. Any failed page fails the whole call: no silent truncation. */
export async function collect<T>(transport: GraphTransport, first: PageCursor<T>, maxItems: number | undefined, signal?: AbortSignal): Promise<Result<T[]>> {
  const items: T[] = [];
  let at: PageCursor<T> | undefined = first;
  while (at) {
    const page: Result<Page<T>> = await readPage(transport, at, signal);
    if (!page.success) return page;
    for (const item of page.data.items) {
      items.push(item);
      if (maxItems !== undefined && items.length >= maxItems) return ok(items);
    }
    at = page.data.next;
  }
  return ok(items);
}

/** Pages as an async iterator; stops after the first failed page, which it yields. */
export async function* iteratePages<T>(transport: GraphTransport, first: PageCursor<T>, signal?: AbortSignal): AsyncGenerator<Result<Page<T>>, void, undefined> {
  let at: PageCursor<T> | undefined = first;
  while (at) {
    const page: Result<Page<T>> = await readPage(transport, at, signal);
    yield page;
    if (!page.success) return;
    at = page.data.next;
  }
}
