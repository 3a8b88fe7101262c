// The fake vendor helper: auth, the paging styles the kit's paginators speak, 429 with
// Retry-After (and the count of requests that ignored it), deletes, and its clock.
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeVendor, type FakeVendor } from '../src/fake-vendor/index.js';
import { bearer, cursorPages, linkHeaderPages, oauth2Refresh, offsetPages, updatedSincePages, vendorClient } from '../src/http/index.js';
import { testContext } from './helpers/context.js';

let vendor: FakeVendor | undefined;
let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  await vendor?.close();
  vendor = close = undefined;
});

async function setup(n = 7) {
  vendor = await startFakeVendor({ resources: { contacts: Array.from({ length: n }, (_, i) => ({ id: `c${i}`, email: `p${i}@x.test` })) } });
  const t = await testContext('probe', vendor.clock);
  close = t.close;
  return { vendor, ctx: t.ctx, api: vendorClient(t.ctx, { baseUrl: vendor.url, auth: bearer(vendor.apiKey) }) };
}

const ids = (pages: { items: { id: string }[] }[]) => pages.flatMap((p) => p.items.map((r) => r.id));
async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('fake vendor', () => {
  it('refuses a missing or wrong key with 401, accepts its key', async () => {
    const { vendor, ctx } = await setup();
    await expect(vendorClient(ctx, { baseUrl: vendor.url }).json('/v1/me')).rejects.toMatchObject({ status: 401 });
    await expect(vendorClient(ctx, { baseUrl: vendor.url, auth: bearer('wrong-key-0123456789') }).json('/v1/me')).rejects.toMatchObject({ status: 401 });
    expect(await vendorClient(ctx, { baseUrl: vendor.url, auth: bearer(vendor.apiKey) }).json('/v1/me')).toMatchObject({ account: 'fake-vendor' });
  });

  it('pages by cursor, offset, Link header and updated-since, all to the same records', async () => {
    const { api } = await setup();
    const want = ['c0', 'c1', 'c2', 'c3', 'c4', 'c5', 'c6'];
    const items = (b: any) => b.data;
    expect(ids(await all(cursorPages(api, { path: '/v1/contacts', query: { limit: 3 }, items, next: (b) => b.next_cursor, hasMore: (b) => b.has_more })))).toEqual(want);
    expect(ids(await all(offsetPages(api, { path: '/v1/contacts', pageSize: 3, items })))).toEqual(want);
    expect(ids(await all(linkHeaderPages(api, { path: '/v1/contacts', query: { limit: 3 }, items })))).toEqual(want);
    expect(ids(await all(updatedSincePages(api, { path: '/v1/contacts', pageSize: 8, items, updatedAt: (r: any) => r.updatedAt, id: (r: any) => r.id })))).toEqual(want);
  });

  it('a durable cursor reads only what changed since, deletes included as archived records', async () => {
    const { vendor, api } = await setup();
    const spec = { path: '/v1/contacts', query: { limit: 3 }, items: (b: any) => b.data, next: (b: any) => b.next_cursor, hasMore: (b: any) => b.has_more };
    const first = await all(cursorPages(api, spec));
    vendor.clock.advance(1000);
    vendor.upsert('contacts', { id: 'c2', email: 'new@x.test' });
    vendor.remove('contacts', 'c4');
    const changes = (await all(cursorPages(api, { ...spec, from: first.at(-1)!.position }))).flatMap((p) => p.items as any[]);
    expect(changes.map((r) => [r.id, r.archived ?? false])).toEqual([['c2', false], ['c4', true]]);
    expect(vendor.ids('contacts')).toEqual(['c0', 'c1', 'c3', 'c5', 'c6', 'c2']);
  });

  it('answers 429 with Retry-After and counts a request that did not wait as a violation', async () => {
    const { vendor, api } = await setup();
    vendor.throttle(1, 3);
    const t0 = vendor.clock.now();
    await api.json('/v1/me'); // the kit's client waits 3 s on the (shared) clock
    expect(vendor.clock.now() - t0).toBeGreaterThanOrEqual(3000);
    expect(vendor.counts).toMatchObject({ throttled: 1, retryAfterViolations: 0 });
    // a client that retries at once (no wait on either clock) is caught
    vendor.throttle(1, 3);
    const headers = { authorization: `Bearer ${vendor.apiKey}` };
    expect((await fetch(`${vendor.url}/v1/me`, { headers })).status).toBe(429);
    expect((await fetch(`${vendor.url}/v1/me`, { headers })).status).toBe(429);
    expect(vendor.counts.retryAfterViolations).toBeGreaterThan(0);
  });

  it('issues OAuth2 access tokens that expire on its clock and rotates refresh tokens', async () => {
    vendor = await startFakeVendor({ resources: { contacts: [] }, oauth: { clientId: 'cid', clientSecret: 'client-secret-123', refreshToken: 'refresh-first-123', ttlSec: 60 } });
    const t = await testContext();
    close = t.close;
    const api = vendorClient(t.ctx, { baseUrl: vendor.url, auth: oauth2Refresh({ tokenUrl: `${vendor.url}/oauth/token`, clientId: 'cid', clientSecret: 'client-secret-123', refreshToken: 'refresh-first-123', skewMs: 0 }) });
    expect(await api.json('/v1/contacts')).toMatchObject({ data: [] });
    vendor.clock.advance(61_000); // the test context has its own clock: the token dies on the vendor's
    expect(await api.json('/v1/contacts')).toMatchObject({ data: [] }); // 401 → renewed with the rotated token
    expect(vendor.counts.tokenGrants).toBe(2);
  });
});
