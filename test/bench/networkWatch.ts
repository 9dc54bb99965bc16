/** What the activation probes (stub `vscode` and real extension host) use to catch network work at activation. */
import dns from 'node:dns';
import net from 'node:net';

/** Records every connection, lookup and fetch until `stop()`; the patches are undone then. */
export function watchNetwork(): { calls: string[]; stop(): void } {
  const calls: string[] = [];
  const socket = net.Socket.prototype as unknown as { connect: (this: net.Socket, ...args: unknown[]) => net.Socket };
  const connect = socket.connect;
  socket.connect = function (this: net.Socket, ...args: unknown[]) {
    calls.push(`connect ${JSON.stringify(args[0])}`);
    return connect.apply(this, args);
  };
  const dnsModule = dns as { lookup: unknown };
  const lookup = dnsModule.lookup as (...args: unknown[]) => unknown;
  dnsModule.lookup = (...args: unknown[]) => {
    calls.push(`dns ${String(args[0])}`);
    return lookup(...args);
  };
  const fetch = globalThis.fetch;
  globalThis.fetch = (input, init) => {
    calls.push(`fetch ${input instanceof Request ? input.url : String(input)}`);
    return fetch(input, init);
  };
  return {
    calls,
    stop: () => {
      socket.connect = connect;
      dnsModule.lookup = lookup;
      globalThis.fetch = fetch;
    },
  };
}
