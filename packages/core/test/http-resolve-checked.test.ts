// ctx.http.resolveChecked (issue #25 item 3): the addresses of a host resolved now and judged by
// the plugin's outbound policy, for an SDK that connects by itself (Google Ads' grpc-js) and must
// be given a checked address instead of the name. Names are answered by an injected lookup.
import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import type { LookupAll } from '../src/context/outbound.js';
import { createHttpClient } from '../src/context/http.js';

const silent = pino({ level: 'silent' });
const dnsOf = (answers: Record<string, string[]>) => {
  const asked: string[] = [];
  const lookup: LookupAll = async (host) => {
    asked.push(host);
    const a = answers[host];
    if (!a) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return a;
  };
  return { lookup, asked };
};
const client = (lookup: LookupAll, allowPrivateNetwork = false) =>
  createHttpClient({ log: silent, now: () => 0, outbound: { lookup, allowPrivateNetwork }, where: 'connectors.google' });

describe('ctx.http.resolveChecked', () => {
  it('answers every address of an allowed name, resolved on each call', async () => {
    const { lookup, asked } = dnsOf({ 'ads.example.com': ['142.250.1.1', '2a00:1450::1'] });
    const http = client(lookup);
    expect(await http.resolveChecked('ads.example.com', 443)).toEqual(['142.250.1.1', '2a00:1450::1']);
    await http.resolveChecked('ads.example.com', 443);
    expect(asked).toEqual(['ads.example.com', 'ads.example.com']);
  });

  it('refuses a name with one metadata or link-local address among its answers, naming the setting', async () => {
    const { lookup } = dnsOf({ 'rebind.example.com': ['142.250.1.1', '169.254.169.254'] });
    await expect(client(lookup).resolveChecked('rebind.example.com', 443)).rejects.toMatchObject({ code: 'OUTBOUND_REFUSED', where: 'connectors.google', kind: 'bad_input' });
    // allowPrivateNetwork never opens the metadata service
    await expect(client(lookup, true).resolveChecked('rebind.example.com', 443)).rejects.toMatchObject({ code: 'OUTBOUND_REFUSED' });
  });

  it('a private address only with allowPrivateNetwork; loopback always; a name that does not resolve is OUTBOUND_UNRESOLVED', async () => {
    const { lookup } = dnsOf({ 'ads.corp.internal': ['10.1.2.3'] });
    await expect(client(lookup).resolveChecked('ads.corp.internal', 443)).rejects.toMatchObject({ code: 'OUTBOUND_REFUSED' });
    expect(await client(lookup, true).resolveChecked('ads.corp.internal', 443)).toEqual(['10.1.2.3']);
    expect(await client(lookup).resolveChecked('127.0.0.1', 50051)).toEqual(['127.0.0.1']);
    await expect(client(lookup).resolveChecked('169.254.169.254', 443)).rejects.toMatchObject({ code: 'OUTBOUND_REFUSED' });
    await expect(client(lookup).resolveChecked('nowhere.example.com', 443)).rejects.toMatchObject({ code: 'OUTBOUND_UNRESOLVED' });
  });
});
