// The fault-injecting proxy against a tiny local HTTP "vendor" that counts the writes it applied:
// every injected fault happens AFTER the write reached the vendor (that is the point: the client
// sees an error or a dropped connection for a write that landed), and faults repeat by seed.
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startFaultProxy, type FaultProxy } from '@revloop/plugin-kit';

let vendor: Server | undefined;
let proxy: FaultProxy | undefined;
let applied: string[] = [];

async function startVendor(): Promise<string> {
  applied = [];
  vendor = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      if (req.method === 'POST') applied.push(`${req.url} ${body}`);
      res.writeHead(200, { 'content-type': 'application/json', 'x-vendor': 'yes' });
      res.end(JSON.stringify({ ok: true, path: req.url, writes: applied.length }));
    });
  });
  await new Promise<void>((r) => vendor!.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(vendor!.address() as AddressInfo).port}`;
}

afterEach(async () => {
  await proxy?.close();
  await new Promise((r) => (vendor ? vendor.close(r) : r(undefined)));
  proxy = undefined;
  vendor = undefined;
});

const post = (url: string, body: string) => fetch(url, { method: 'POST', body, headers: { 'content-type': 'text/plain' } });

describe('fault proxy', () => {
  it('passes requests through unchanged, with the path, body and headers', async () => {
    proxy = await startFaultProxy({ target: await startVendor() });
    const res = await post(`${proxy.url}/v1/things?x=1`, 'hello');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-vendor')).toBe('yes');
    expect(await res.json()).toEqual({ ok: true, path: '/v1/things?x=1', writes: 1 });
    expect(applied).toEqual(['/v1/things?x=1 hello']);
    expect(proxy.counts).toMatchObject({ requests: 1, forwarded: 1, passed: 1 });
  });

  it('on schedule: a 5xx after the write landed, a dropped connection after it landed, a delay', async () => {
    proxy = await startFaultProxy({ target: await startVendor(), schedule: ['error-after', 'drop-after', 'delay', 'pass'], delayMs: 150 });
    const error = await post(`${proxy.url}/w`, '1');
    expect(error.status).toBe(503);
    expect(applied).toHaveLength(1); // the vendor applied it all the same
    await expect(post(`${proxy.url}/w`, '2')).rejects.toThrow();
    expect(applied).toHaveLength(2);
    const t0 = performance.now();
    expect((await post(`${proxy.url}/w`, '3')).status).toBe(200);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(140);
    expect((await post(`${proxy.url}/w`, '4')).status).toBe(200);
    expect(applied).toEqual(['/w 1', '/w 2', '/w 3', '/w 4']);
    expect(proxy.counts).toEqual({ requests: 4, forwarded: 4, passed: 1, errorAfter: 1, dropAfter: 1, delayed: 1 });
    expect(proxy.log.map((l) => l.fault)).toEqual(['error-after', 'drop-after', 'delay', 'pass']);
  });

  it('by seeded probability: the same seed gives the same faults; only faultable requests get one', async () => {
    const target = await startVendor();
    const runOnce = async (seed: number) => {
      const p = await startFaultProxy({ target, seed, rates: { errorAfter: 0.3, dropAfter: 0.2 }, faultable: (r) => r.method === 'POST' });
      for (let i = 0; i < 40; i++) {
        await fetch(`${p.url}/r`).then((r) => r.text()); // reads always pass
        await post(`${p.url}/w`, String(i)).then((r) => r.text()).catch(() => 'dropped');
      }
      await p.close();
      return p;
    };
    const a = await runOnce(7);
    const b = await runOnce(7);
    const c = await runOnce(8);
    expect(a.log.map((l) => l.fault)).toEqual(b.log.map((l) => l.fault));
    expect(a.log.map((l) => l.fault)).not.toEqual(c.log.map((l) => l.fault));
    expect(a.log.filter((l) => l.method === 'GET').every((l) => l.fault === 'pass')).toBe(true);
    expect(a.counts.errorAfter).toBeGreaterThan(3);
    expect(a.counts.dropAfter).toBeGreaterThan(1);
    expect(a.counts.forwarded).toBe(80);
    // every POST reached the vendor, faulted or not
    expect(applied).toHaveLength(120);
  });

  it('refuses a target that is not on a loopback address', async () => {
    await expect(startFaultProxy({ target: 'http://example.com' })).rejects.toMatchObject({ code: 'FAULT_PROXY_TARGET', kind: 'bad_input' });
  });
});
