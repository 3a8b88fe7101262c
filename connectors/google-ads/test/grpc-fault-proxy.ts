// A loopback gRPC proxy in front of the Google Ads emulator that fails AFTER a write was applied:
// every unary call is forwarded as raw bytes and answered by the emulator (the write happened); then,
// on a seeded share of the writes, the proxy answers UNAVAILABLE ("5xx") or DEADLINE_EXCEEDED /
// CANCELLED (a dropped connection / a timeout) instead of the real answer. Reads (Search,
// SearchStream) pass through untouched. The gRPC counterpart of ../../hubspot/test/fault-proxy.ts.
import { credentials, Client, Metadata, Server, ServerCredentials, status, type ServerUnaryCall, type ServerWritableStream, type sendUnaryData, type ServiceError } from '@grpc/grpc-js';
import { GOOGLE_ADS_API_VERSION } from '../src/version.js';
import { seededRandom as seeded } from '@revloop/core';

export type GrpcFaultMode = '5xx' | 'drop' | 'mix';

const WRITES: Record<string, string[]> = {
  GoogleAdsService: ['Mutate'],
  ConversionUploadService: ['UploadClickConversions'],
  UserListService: ['MutateUserLists'],
  OfflineUserDataJobService: ['CreateOfflineUserDataJob', 'AddOfflineUserDataJobOperations', 'RunOfflineUserDataJob'],
};
const READS: Record<string, { unary: string[]; stream: string[] }> = {
  GoogleAdsService: { unary: ['Search'], stream: ['SearchStream'] },
};

export interface GrpcFaultProxy {
  /** host:port, for the connector's apiEndpoint */
  url: string;
  rate: number;
  readonly counts: { writes: number; serverErrors: number; drops: number };
  close(): Promise<void>;
}

const raw = (b: Buffer) => b;

export async function startGrpcFaultProxy(options: { target: string; rate: number; seed?: number; mode?: GrpcFaultMode }): Promise<GrpcFaultProxy> {
  const random = seeded(options.seed ?? 27);
  const mode = options.mode ?? 'mix';
  const counts = { writes: 0, serverErrors: 0, drops: 0 };
  const upstream = new Client(options.target, credentials.createInsecure());
  const server = new Server();
  const path = (service: string, method: string) => `/google.ads.googleads.${GOOGLE_ADS_API_VERSION}.services.${service}/${method}`;

  const forwardUnary = (p: string, write: boolean) => (call: ServerUnaryCall<Buffer, Buffer>, callback: sendUnaryData<Buffer>) => {
    let fault: 'none' | '5xx' | 'drop' = 'none';
    if (write) {
      counts.writes++;
      if (random() < proxy.rate) fault = mode === 'mix' ? (random() < 0.5 ? '5xx' : 'drop') : mode;
    }
    let trailer = new Metadata();
    const out = upstream.makeUnaryRequest(p, raw, raw, call.request, call.metadata, (err: ServiceError | null, value?: Buffer) => {
      // the emulator has answered: a write is applied by now
      if (fault === '5xx') {
        counts.serverErrors++;
        return callback({ code: status.UNAVAILABLE, details: 'The service is currently unavailable.', metadata: new Metadata() });
      }
      if (fault === 'drop') {
        counts.drops++;
        return callback({ code: status.DEADLINE_EXCEEDED, details: 'Deadline exceeded: the connection was lost before the answer.', metadata: new Metadata() });
      }
      if (err) return callback(err);
      callback(null, value, trailer);
    });
    out.on('status', (s) => {
      trailer = s.metadata;
    });
  };

  const forwardStream = (p: string) => (call: ServerWritableStream<Buffer, Buffer>) => {
    const out = upstream.makeServerStreamRequest(p, raw, raw, call.request, call.metadata);
    out.on('data', (m: Buffer) => call.write(m));
    out.on('error', (e: ServiceError) => call.emit('error', e));
    out.on('status', (s) => {
      if (s.code === status.OK) call.end(s.metadata);
    });
  };

  for (const [service, methods] of Object.entries(WRITES)) for (const m of methods) server.register(path(service, m), forwardUnary(path(service, m), true) as never, raw, raw, 'unary');
  for (const [service, { unary, stream }] of Object.entries(READS)) {
    for (const m of unary) server.register(path(service, m), forwardUnary(path(service, m), false) as never, raw, raw, 'unary');
    for (const m of stream) server.register(path(service, m), forwardStream(path(service, m)) as never, raw, raw, 'serverStream');
  }
  const port = await new Promise<number>((resolve, reject) => server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))));
  const proxy: GrpcFaultProxy = {
    url: `127.0.0.1:${port}`,
    rate: options.rate,
    counts,
    async close() {
      upstream.close();
      await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
    },
  };
  return proxy;
}
