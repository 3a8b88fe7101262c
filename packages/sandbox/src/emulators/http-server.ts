// Starts a hono app on 127.0.0.1 (port 0 = any free port) and hands back its URL and a stop().
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';

export interface RunningServer {
  url: string; // http://127.0.0.1:PORT (no trailing slash)
  port: number;
  stop(): Promise<void>;
}

export async function listenOnLoopback(app: Hono<any>, port = 0, options: { maxHeaderSize?: number } = {}): Promise<RunningServer> {
  return await new Promise((resolve, reject) => {
    const serverOptions = options.maxHeaderSize ? { maxHeaderSize: options.maxHeaderSize } : undefined;
    const server = serve({ fetch: app.fetch, port, hostname: '127.0.0.1', ...(serverOptions ? { serverOptions } : {}) }, (info: AddressInfo) => {
      resolve({
        url: `http://127.0.0.1:${info.port}`,
        port: info.port,
        stop: () =>
          new Promise<void>((done) => {
            const s = server as unknown as Server;
            s.closeAllConnections?.();
            s.close(() => done());
          }),
      });
    });
    (server as unknown as Server).on('error', reject);
  });
}
