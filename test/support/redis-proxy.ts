import net from 'node:net';

/** A TCP proxy in front of Redis, to make it stop answering (freeze) or go away (stop). */
export interface RedisProxy {
  /** redis:// URL of the proxy. */
  url: string;
  /** Holds every byte from now on: Redis stops answering, connections stay open. */
  freeze(): void;
  /** Delivers what was held, in order, then forwards again. */
  thaw(): void;
  /** Closes every connection and the listener: Redis is down (connections refused). */
  stop(): Promise<void>;
}

export async function redisProxy(targetUrl: string): Promise<RedisProxy> {
  const target = new URL(targetUrl);
  const sockets = new Set<net.Socket>();
  let frozen = false;
  const held: { to: net.Socket; data: Buffer }[] = [];
  const forward = (to: net.Socket, data: Buffer): void => {
    if (frozen) held.push({ to, data });
    else to.write(data);
  };
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || 6379), target.hostname);
    const end = (): void => {
      client.destroy();
      upstream.destroy();
    };
    sockets.add(client).add(upstream);
    client.on('data', (data: Buffer) => forward(upstream, data));
    upstream.on('data', (data: Buffer) => forward(client, data));
    for (const socket of [client, upstream]) {
      socket.on('close', () => sockets.delete(socket));
      socket.on('close', end).on('error', end);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  let stopped: Promise<void> | undefined;
  return {
    url: `redis://127.0.0.1:${port}`,
    freeze: () => {
      frozen = true;
    },
    thaw: () => {
      frozen = false;
      for (const { to, data } of held.splice(0)) if (!to.destroyed) to.write(data);
    },
    stop: () => {
      stopped ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return stopped;
    },
  };
}
