// Whether grpc-js would send a channel for host:port through an HTTP CONNECT proxy (grpc_proxy,
// https_proxy or http_proxy, unless no_grpc_proxy / no_proxy names the host). Asked of grpc-js's
// own mapping (the pinned 1.14.7 has no "exports" map: its build files can be required), so that
// the answer is exactly what the channel would do with the name.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

interface ProxyMapping {
  mapProxyName(target: { scheme?: string; authority?: string; path: string }, options: Record<string, unknown>): { extraOptions: Record<string, unknown> };
}

export function grpcProxyFor(host: string, port: number): boolean {
  const { mapProxyName } = require('@grpc/grpc-js/build/src/http_proxy.js') as ProxyMapping;
  return 'grpc.http_connect_target' in mapProxyName({ scheme: 'dns', path: `${host}:${port}` }, {}).extraOptions;
}
