import { connect, createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A TCP proxy in front of a server (PostgreSQL) that can fail the way networks and servers do,
 * for tests of what a client does when its database stops answering.
 */
export interface TcpProxy {
  port: number;
  /** `url` with its host and port pointing at the proxy. */
  via(url: string): string;
  /**
   * Nothing gets through any more, in either direction, and nothing is closed: connections stay
   * open and new ones are accepted, as when a network path freezes. Nothing answers again.
   */
  freeze(): void;
  /** Every open connection is cut (a server restart); new ones are forwarded again. */
  drop(): void;
  /** Every open connection is cut and new ones are refused (a server that is down). */
  refuse(): Promise<void>;
  /** After refuse(): connections are accepted and forwarded again, on the same port. */
  resume(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let frozen = false;
  const track = (socket: Socket): void => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    // A cut connection errors on both sides; that is the point, not a test failure.
    socket.on('error', () => undefined);
  };
  const server = createServer((client) => {
    track(client);
    if (frozen) {
      client.pause();
      return;
    }
    const upstream = connect(target.port, target.host);
    track(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const cutAll = (): void => {
    for (const socket of sockets) socket.destroy();
  };
  let closed = false;
  const closeServer = (): Promise<void> =>
    closed
      ? Promise.resolve()
      : new Promise<void>((resolve) => {
          closed = true;
          server.close(() => {
            resolve();
          });
        });
  return {
    port,
    via: (url) => {
      const parsed = new URL(url);
      parsed.hostname = '127.0.0.1';
      parsed.port = String(port);
      return parsed.toString();
    },
    freeze: () => {
      frozen = true;
      for (const socket of sockets) {
        socket.unpipe();
        socket.pause();
      }
    },
    drop: cutAll,
    refuse: async () => {
      const closing = closeServer();
      cutAll();
      await closing;
    },
    resume: () => {
      closed = false;
      server.listen(port, '127.0.0.1');
    },
    close: async () => {
      const closing = closeServer();
      cutAll();
      await closing;
    },
  };
}
