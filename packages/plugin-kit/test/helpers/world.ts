// A tiny loopback server and a plugin context on a real runtime, closed after each test: the
// world of the HTTP building blocks' tests.
import { afterEach } from 'vitest';
import { testContext } from './context.js';
import { tinyServer } from './tiny-server.js';

/** call once at the top of a test file; each world() made in a test is closed after it */
export function httpWorlds() {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()!();
  });
  return async function world(handler: Parameters<typeof tinyServer>[0]) {
    const server = await tinyServer(handler);
    const t = await testContext();
    cleanups.push(server.close, t.close);
    return { server, ...t };
  };
}
