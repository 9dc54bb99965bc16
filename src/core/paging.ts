import { fail, ok } from './errors';
import type { GraphTransport } from './http';
import { ErrorCodes, type Page, type PageCursor, type Result } from './types';

/**
 * Most pages one list is followed for. Graph pages hold up to 999 objects and the tree asks for 100, so this is
 * at least 10 million objects, beyond the largest directories: a list still going is one that never ends.
 */
export const MAX_PAGES = 100_000;

/**
 * Most empty pages in a row. Graph may answer an empty page with a nextLink while it filters server-side, but not
 * a thousand in a row. `maxItems` counts items, so without this bound fresh nextLinks to empty pages would keep
 * even a five-item list going for MAX_PAGES requests.
 */
export const MAX_EMPTY_PAGES_IN_A_ROW = 1_000;

interface CollectionBody<T> {
  value?: T[];
  '@odata.nextLink'?: string;
  '@odata.count'?: unknown;
  '@odata.deltaLink'?: unknown;
}

function isCollection<T>(body: unknown): body is CollectionBody<T> {
  return typeof body === 'object' && body !== null && Array.isArray((body as CollectionBody<T>).value);
}

export function cursor<T>(url: string, advanced: boolean): PageCursor<T> {
  return { url, advanced };
}

/**
 * Reads one page. Fails rather than follow a nextLink that leaves the configured Graph origin, leads back to a page of
 * this list already read, comes after MAX_EMPTY_PAGES_IN_A_ROW empty pages, or goes past MAX_PAGES. Every way of
 * following a list (collect, iteratePages, a caller's nextPage) comes through here.
 */
export async function readPage<T>(transport: GraphTransport, at: PageCursor<T>, signal?: AbortSignal): Promise<Result<Page<T>>> {
  const result = await transport.send({ method: 'GET', url: at.url, advanced: at.advanced, ...(signal ? { signal } : {}) });
  if (!result.success) return result;
  const body = result.data.body;
  const requestId = result.data.requestId ? { requestId: result.data.requestId } : {};
  if (!isCollection<T>(body)) {
    return fail({ code: ErrorCodes.invalidResponse, message: 'Graph answered a list request without a "value" array.', status: result.data.status, ...requestId });
  }
  const items = body.value ?? [];
  const nextLink = body['@odata.nextLink'];
  // Graph counts only when asked ($count=true, first page); a count that is not a whole number is ignored, not trusted.
  const count = body['@odata.count'];
  const total = typeof count === 'number' && Number.isInteger(count) && count >= 0 ? { total: count } : {};
  if (nextLink === undefined) {
    // A delta query's last page carries the link to ask for later changes; like a nextLink it must stay on Graph's origin.
    const deltaLink = body['@odata.deltaLink'];
    if (deltaLink === undefined) return ok({ items, ...total });
    if (typeof deltaLink !== 'string' || !transport.isOwnUrl(deltaLink)) {
      return fail({
        code: ErrorCodes.foreignNextLink,
        message: `Graph returned a delta link outside ${transport.base.origin}; it was not kept rather than sending credentials elsewhere.`,
        ...requestId,
      });
    }
    return ok({ items, deltaLink, ...total });
  }
  if (typeof nextLink !== 'string' || !transport.isOwnUrl(nextLink)) {
    return fail({
      code: ErrorCodes.foreignNextLink,
      message: `Graph returned a next-page link outside ${transport.base.origin}; the list was not completed rather than sending credentials elsewhere.`,
      ...requestId,
    });
  }
  const here = at.progress ?? { links: new Map([[normalUrl(at.url), 0]]), page: 0, emptyBefore: 0 };
  const link = normalUrl(nextLink);
  const readAs = here.links.get(link);
  // Only a page at or before this one is a loop: reading the same cursor twice meets its nextLink again, further on.
  if (readAs !== undefined && readAs <= here.page) {
    return fail({ code: ErrorCodes.pagingLoop, message: `Graph's next-page link led back to page ${readAs + 1} of the list; the list was stopped rather than read in circles.`, ...requestId });
  }
  const emptyBefore = items.length === 0 ? here.emptyBefore + 1 : 0;
  if (emptyBefore >= MAX_EMPTY_PAGES_IN_A_ROW) {
    return fail({ code: ErrorCodes.pagingLoop, message: `Graph answered ${emptyBefore} empty pages in a row, each with a link to one more; the list was stopped rather than followed further.`, ...requestId });
  }
  if (here.page + 1 >= MAX_PAGES) {
    return fail({ code: ErrorCodes.tooManyPages, message: `The list went on beyond ${MAX_PAGES.toLocaleString('en-US')} pages; it was stopped there and is incomplete.`, ...requestId });
  }
  here.links.set(link, here.page + 1);
  // The same headers (ConsistencyLevel) go with every page: Graph does not carry them over.
  const next: PageCursor<T> = { ...cursor<T>(nextLink, at.advanced), progress: { links: here.links, page: here.page + 1, emptyBefore } };
  return ok({ items, next, ...total });
}

/** One spelling per URL, so that a link written differently (host case, default port) is still recognised. */
function normalUrl(url: string): string {
  try {
    return new URL(url).href;
  } catch {
    return url;
  }
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
