// DNS rebinding (issue #25): a name that resolves to a public address when checked and to the
// metadata service (or a private address) when the connection opens must be refused at connect.
// Names are answered by an injected lookup that changes its answer; nothing resolves a real name
// and the tests' network guard stays on (it fails the test on any connection off loopback).
import { createServer, get, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import type { LookupAll } from '../src/context/outbound.js';
import { createHttpClient } from '../src/context/http.js';
import { createOutboundAgents } from '../src/context/outbound-connect.js';

/** a DNS whose answers for a name are taken in turn (the last one repeats); counts the lookups */
function rebindingDns(answers: Record<string, string[][]>) {
  const asked: string[] = [];
  const lookup: LookupAll = async (host) => {
    asked.push(host);
    const list = answers[host];
    if (!list) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    const n = asked.filter((h) => h === host).length;
    return list[Math.min(n, list.length) - 1]!;
  };
  return { lookup, asked };
}

const silent = pino({ level: 'silent' });

let server: Server;
let port: number;
const hosts: string[] = [];
beforeEach(async () => {
  hosts.length = 0;
  server = createServer((req, res) => {
    hosts.push(String(req.headers.host));
    // no keep-alive: every request opens a new connection, so every one is checked at connect
    res.writeHead(200, { 'content-type': 'text/plain', connection: 'close' });
    res.end('ok');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterEach(() => new Promise<void>((r) => server.close(() => r())));

describe('ctx.http connects only to addresses it checked', () => {
  it('a name answering a public address to the check and the metadata service to the connect is refused at connect', async () => {
    const dns = rebindingDns({ 'flip.example': [['203.0.114.10'], ['169.254.169.254']] });
    const http = createHttpClient({ log: silent, now: () => 0, outbound: { lookup: dns.lookup }, where: 'connectors.crm' });
    await expect(http.request('https://flip.example/v1/contacts', { retries: 0 })).rejects.toMatchObject({
      code: 'OUTBOUND_REFUSED',
      where: 'connectors.crm',
      message: expect.stringMatching(/flip\.example resolves to 169\.254\.169\.254/),
    });
    // once for the check before the request, once when the connection was opened
    expect(dns.asked).toEqual(['flip.example', 'flip.example']);
  });

  it('reaches a name that resolves to loopback through the checked address (the Host header keeps the name)', async () => {
    const dns = rebindingDns({ 'crm.local.example': [['127.0.0.1']] });
    const http = createHttpClient({ log: silent, now: () => 0, outbound: { lookup: dns.lookup } });
    const res = await http.request(`http://crm.local.example:${port}/ping`, { retries: 0 });
    expect(await res.text()).toBe('ok');
    expect(hosts).toEqual([`crm.local.example:${port}`]);
    expect(dns.asked.length).toBe(2);
  });

  it('a name that turns private after its verdict was cached is refused at the next connection', async () => {
    const dns = rebindingDns({ 'turn.example': [['127.0.0.1'], ['127.0.0.1'], ['10.0.0.7']] });
    const http = createHttpClient({ log: silent, now: () => 0, outbound: { lookup: dns.lookup } });
    expect((await http.request(`http://turn.example:${port}/a`, { retries: 0 })).status).toBe(200);
    // the URL check's verdict is cached for a minute: only the connect looks again
    await expect(http.request(`http://turn.example:${port}/b`, { retries: 0 })).rejects.toMatchObject({ code: 'OUTBOUND_REFUSED', message: expect.stringMatching(/private network.*10\.0\.0\.7/) });
    expect(dns.asked.length).toBe(3);
    expect(hosts).toEqual([`turn.example:${port}`]);
  });

  it('one refused address among several refuses the connection', async () => {
    const dns = rebindingDns({ 'mixed.example': [['127.0.0.1'], ['127.0.0.1', '169.254.169.254']] });
    const http = createHttpClient({ log: silent, now: () => 0, outbound: { lookup: dns.lookup } });
    await expect(http.request(`http://mixed.example:${port}/`, { retries: 3, minTimeoutMs: 1 })).rejects.toMatchObject({ code: 'OUTBOUND_REFUSED' });
    expect(hosts).toEqual([]);
  });
});

describe('node http agents for vendor SDKs', () => {
  const getVia = (url: string, agents: ReturnType<typeof createOutboundAgents>) =>
    new Promise<IncomingMessage>((resolve, reject) => get(url, { agent: agents.forUrl(url) }, resolve).on('error', reject));

  it('refuse a connection to a name that rebinds to the metadata service; reach one that resolves to loopback', async () => {
    const dns = rebindingDns({ 'flip.example': [['169.254.169.254']], 'crm.local.example': [['127.0.0.1']] });
    const agents = createOutboundAgents({ lookup: dns.lookup }, 'connectors.crm');
    await expect(getVia('http://flip.example/latest/meta-data/', agents)).rejects.toMatchObject({ code: 'OUTBOUND_REFUSED', where: 'connectors.crm' });
    await expect(getVia('https://flip.example/', agents)).rejects.toMatchObject({ code: 'OUTBOUND_REFUSED' });
    const res = await getVia(`http://crm.local.example:${port}/ping`, agents);
    res.resume();
    expect(res.statusCode).toBe(200);
    expect(hosts).toEqual([`crm.local.example:${port}`]);
  });

  it('reuse a checked connection for the next requests to the same host (keep-alive), checking only new connections', async () => {
    let connections = 0;
    const keepAlive = createServer((_req, res) => res.end('ok')).on('connection', () => connections++);
    await new Promise<void>((r) => keepAlive.listen(0, '127.0.0.1', r));
    try {
      const dns = rebindingDns({ 'crm.local.example': [['127.0.0.1']] });
      const agents = createOutboundAgents({ lookup: dns.lookup }, 'connectors.crm');
      const url = `http://crm.local.example:${(keepAlive.address() as AddressInfo).port}/page`;
      for (let i = 0; i < 10; i++) {
        const res = await getVia(url, agents);
        expect(res.statusCode).toBe(200);
        await new Promise((r) => res.resume().on('end', r));
      }
      expect(connections).toBe(1);
      expect(dns.asked).toEqual(['crm.local.example']);
      agents.http.destroy();
    } finally {
      keepAlive.closeAllConnections();
      await new Promise<void>((r) => keepAlive.close(() => r()));
    }
  });

  it('refuse plain http to a public address and a private one unless allowed', async () => {
    const dns = rebindingDns({ 'api.vendor.example': [['203.0.114.10']], 'crm.corp.example': [['10.20.30.40']] });
    const strict = createOutboundAgents({ lookup: dns.lookup }, 'connectors.crm');
    await expect(getVia('http://api.vendor.example/', strict)).rejects.toMatchObject({ code: 'OUTBOUND_REFUSED', message: expect.stringMatching(/plain http/) });
    await expect(getVia('https://crm.corp.example/', strict)).rejects.toMatchObject({ code: 'OUTBOUND_REFUSED', message: expect.stringMatching(/private network/) });
  });
});
