/**
 * The peer: `@microsoft/microsoft-graph-client` (the Graph SDK) set up the way its documentation shows —
 * `Client.init` with an auth provider callback, the default middleware chain (authentication, RetryHandler
 * with its default options, telemetry, fetch), the default page size and `PageIterator` for paging.
 */
import { Client, GraphError, PageIterator, type GraphRequestOptions, type PageCollection } from '@microsoft/microsoft-graph-client';

export { GraphError, PageIterator };
export type { PageCollection };

/** `graphUrl` is e.g. https://127.0.0.1:PORT/v1.0; the SDK takes the origin and the version separately. */
export function peerClient(graphUrl: string, token: () => string): Client {
  const url = new URL(graphUrl);
  return Client.init({
    authProvider: (done) => done(null, token()),
    baseUrl: url.origin,
    defaultVersion: url.pathname.replace(/^\/+|\/+$/g, ''),
    // The SDK only sends the bearer token to Graph's own hosts, or to the hosts listed here.
    customHosts: new Set([url.hostname]),
  });
}

/** Every item of a collection, following nextLinks with PageIterator. */
export async function collectAll<T>(client: Client, first: PageCollection, sink: T[], options?: GraphRequestOptions): Promise<T[]> {
  const iterator = new PageIterator(
    client,
    first,
    (item: T) => {
      sink.push(item);
      return true;
    },
    options,
  );
  await iterator.iterate();
  return sink;
}

/** HTTP status of an SDK failure (0 when the request never got an answer). */
export function peerStatus(e: unknown): number {
  return e instanceof GraphError ? e.statusCode : 0;
}
