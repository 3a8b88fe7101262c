// The project's network guard: no test, sandbox or child process may open a connection to an
// address off this machine. Plain JS so that vitest (setupFiles) and child processes
// (`node --import ./test/setup/network-guard-child.mjs`) share one implementation.
import net from 'node:net';
import dns from 'node:dns';

// Google's auth stack probes the cloud metadata server unless told not to (see ENVIRONMENT.md).
process.env.METADATA_SERVER_DETECTION = 'none';

const violations = [];
const listeners = [];

/**
 * Only literal loopback addresses pass: 127.0.0.0/8 written as an IPv4 literal, ::1 (and its
 * IPv4-mapped 127.x form), and the name `localhost`. A NAME that merely starts with "127."
 * (127.evil.example) is an outside host that DNS may resolve anywhere.
 */
export function isLoopbackHost(host) {
  if (host === undefined || host === null || host === '') return true; // node's default is localhost
  const h = String(host).replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  const v4 = h.startsWith('::ffff:') ? h.slice('::ffff:'.length) : h;
  return net.isIPv4(v4) && v4.startsWith('127.');
}

function record(what) {
  const message = `network guard: blocked ${what} (tests may only reach 127.0.0.1 / ::1)`;
  violations.push(message);
  for (const l of listeners) l(message);
  return message;
}

/** Returns and clears the violations seen so far. */
export function takeViolations() {
  return violations.splice(0, violations.length);
}

export function onViolation(fn) {
  listeners.push(fn);
}

function targetOf(args) {
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  if (first && typeof first === 'object') {
    if (first.path) return null; // unix socket: local
    return { host: first.host ?? first.hostname, port: first.port };
  }
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    return { host: typeof args[1] === 'string' ? args[1] : undefined, port: first };
  }
  return null; // a path string: unix socket
}

let installed = false;
export function installNetworkGuard() {
  if (installed) return;
  installed = true;
  const originalConnect = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function guardedConnect(...args) {
    const target = targetOf(args);
    if (target && !isLoopbackHost(target.host)) {
      const message = record(`a connection to ${target.host}:${target.port}`);
      const err = Object.assign(new Error(message), { code: 'ECONNREFUSED' });
      process.nextTick(() => this.destroy(err));
      return this;
    }
    return originalConnect.apply(this, args);
  };

  const blockName = (name) => !isLoopbackHost(name) && net.isIP(String(name)) === 0;
  const originalLookup = dns.lookup;
  dns.lookup = function guardedLookup(hostname, ...rest) {
    if (blockName(hostname)) {
      const message = record(`a DNS lookup of ${hostname}`);
      const cb = rest.find((r) => typeof r === 'function');
      const err = Object.assign(new Error(message), { code: 'ENOTFOUND', hostname });
      if (cb) process.nextTick(() => cb(err));
      return {};
    }
    return originalLookup.call(this, hostname, ...rest);
  };
  const originalPromisesLookup = dns.promises.lookup;
  dns.promises.lookup = async function guardedPromisesLookup(hostname, ...rest) {
    if (blockName(hostname)) {
      throw Object.assign(new Error(record(`a DNS lookup of ${hostname}`)), { code: 'ENOTFOUND', hostname });
    }
    return originalPromisesLookup.call(this, hostname, ...rest);
  };
  for (const target of [dns, dns.promises, dns.Resolver.prototype, dns.promises.Resolver.prototype]) {
    for (const method of ['resolve', 'resolve4', 'resolve6', 'resolveAny', 'resolveSrv', 'resolveTxt', 'resolveCname']) {
      const original = target[method];
      if (typeof original !== 'function') continue;
      target[method] = function guardedResolve(hostname, ...rest) {
        if (blockName(hostname)) {
          const err = Object.assign(new Error(record(`a DNS query for ${hostname}`)), { code: 'ENOTFOUND', hostname });
          const cb = rest.find((r) => typeof r === 'function');
          if (cb) return void process.nextTick(() => cb(err));
          return Promise.reject(err);
        }
        return original.call(this, hostname, ...rest);
      };
    }
  }
}
