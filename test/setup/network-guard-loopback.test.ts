// The network guard lets through literal loopback addresses only: a host NAME that starts with
// "127." (127.evil.example, 127.0.0.1.nip.io) resolves wherever its DNS says and is blocked —
// before any lookup leaves the machine. (The old guard matched /^127\./ on names too.)
import net from 'node:net';
import dns from 'node:dns/promises';
import { describe, expect, it } from 'vitest';
import { isLoopbackHost, takeViolations } from './network-guard-core.mjs';

describe('network guard: literal loopback only', () => {
  it('passes 127.0.0.0/8 IPv4 literals, ::1 and localhost; refuses names that look like them', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', '127.255.255.254', '::1', '[::1]', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1', 'localhost', 'LOCALHOST']) {
      expect(isLoopbackHost(host), host).toBe(true);
    }
    for (const host of ['127.evil.example', '127.0.0.1.nip.io', '127.0.0.1.evil.example', '127.', '127.0.0.256', '::ffff:127.evil.example', 'localhost.evil.example', '128.0.0.1', '0.0.0.0']) {
      expect(isLoopbackHost(host), host).toBe(false);
    }
  });

  it('blocks a DNS lookup and a connection to a 127.-prefixed name', async () => {
    await expect(dns.lookup('127.evil.example')).rejects.toThrow(/network guard: blocked a DNS lookup of 127\.evil\.example/);
    const socket = net.connect({ host: '127.0.0.1.nip.io', port: 80 });
    const error = await new Promise<Error>((resolve) => socket.on('error', resolve));
    expect(error.message).toMatch(/network guard: blocked a connection to 127\.0\.0\.1\.nip\.io:80/);
    expect(takeViolations()).toHaveLength(2); // drained so that this test itself passes
  });
});
