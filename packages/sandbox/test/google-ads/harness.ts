// Starts the emulator and a real google-ads-api Customer wired to it through serviceCache.
import { GoogleAdsApi } from 'google-ads-api';
// deep import: the cache google-ads-api 24.1.0 consults before building a service client
import { serviceCache } from 'google-ads-api/build/src/service.js';
import {
  installEmulatorServiceClients,
  startGoogleAdsEmulator,
  type GoogleAdsEmulator,
  type GoogleAdsEmulatorOptions,
} from '../../src/emulators/google-ads/index.js';

export const clientId = 'test-client-id';

let counter = 0;

export async function startWithClient(options: GoogleAdsEmulatorOptions = {}, developerToken?: string) {
  const emulator: GoogleAdsEmulator = await startGoogleAdsEmulator(options);
  // a distinct refresh token per harness keeps cache keys of parallel emulators apart
  const refresh_token = `test-refresh-${process.pid}-${++counter}`;
  const uninstall = installEmulatorServiceClients(emulator, { serviceCache, client_id: clientId, refresh_token });
  const api = new GoogleAdsApi({ client_id: clientId, client_secret: 'unused', developer_token: developerToken ?? emulator.developerToken });
  const customer = api.Customer({ customer_id: emulator.customerId, refresh_token });
  return {
    emulator,
    customer,
    async stop() {
      await uninstall();
      await emulator.stop();
    },
  };
}

type ReportOptions = Record<string, unknown>;
type StreamMessage = { results: Record<string, Record<string, unknown>>[]; field_mask: { paths: string[] }; request_id: string };

/** Runs reportStreamRaw (the gRPC SearchStream path) and collects every message. */
export async function streamReport(customer: { reportStreamRaw(o: never): Promise<unknown> }, options: ReportOptions) {
  const stream = (await customer.reportStreamRaw(options as never)) as NodeJS.ReadableStream;
  const messages: StreamMessage[] = [];
  await new Promise<void>((resolve, reject) => {
    stream.on('data', (m: StreamMessage) => messages.push(m));
    stream.on('error', reject);
    stream.on('end', () => resolve());
  });
  return { messages, rows: messages.flatMap((m) => m.results) };
}

/** Like streamReport, but resolves with the error (and the rows received before it). */
export async function streamError(customer: { reportStreamRaw(o: never): Promise<unknown> }, options: ReportOptions) {
  const stream = (await customer.reportStreamRaw(options as never)) as NodeJS.ReadableStream;
  const rows: unknown[] = [];
  return new Promise<{ error: { code: number; details: string; metadata: unknown }; rows: unknown[] }>((resolve, reject) => {
    stream.on('data', (m: StreamMessage) => rows.push(...m.results));
    stream.on('error', (error: unknown) => resolve({ error: error as { code: number; details: string; metadata: unknown }, rows }));
    stream.on('end', () => reject(new Error('stream ended without error')));
  });
}

/** google-ads-api's own trailer decoding (protected in its types). */
export function decodeFailure(customer: object, error: unknown) {
  return (customer as { getGoogleAdsError(e: unknown): { errors: { error_code: Record<string, unknown>; message: string; location?: { field_path_elements: { field_name: string; index?: number }[] } }[]; request_id: string } }).getGoogleAdsError(error);
}

export const str = (v: unknown) => (v === null || v === undefined ? v : String(v));
