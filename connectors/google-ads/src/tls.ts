// A TLS handshake refused by this side (the endpoint's certificate is not trusted) is not a
// transient UNAVAILABLE: retrying cannot fix it. The usual cause is a TLS-inspecting proxy whose
// CA the machine does not trust, or an apiEndpoint that is not Google's.
import { RevloopError } from '@revloop/core';
import type { AdsFailure } from './failure.js';

const CERTIFICATE_PROBLEM = /self[- ]signed certificate|unable to (get local issuer|verify the first) certificate|certificate has expired|Hostname\/IP does not match|CERT_|SSL routines/i;

export function isTlsFailure(f: AdsFailure): boolean {
  return f.errors.length === 0 && CERTIFICATE_PROBLEM.test(f.message);
}

export function tlsError(f: AdsFailure, where: string, endpoint: string): RevloopError {
  return new RevloopError('GOOGLE_ADS_TLS_UNTRUSTED', `the TLS certificate of ${endpoint} is not trusted: ${f.message.slice(0, 200)}`, {
    where: `${where}.caCertPath`,
    fix: 'behind a TLS-inspecting proxy, set caCertPath to a PEM file with its CA certificate (ask your IT for it); otherwise check apiEndpoint (googleads.googleapis.com:443)',
    kind: 'bad_input',
  });
}
