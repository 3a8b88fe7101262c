// The Google Ads API emulator: a grpc-js server speaking the v24 protos on 127.0.0.1.
import { Server, ServerCredentials } from '@grpc/grpc-js';
import type { UntypedServiceImplementation } from '@grpc/grpc-js';
import { z } from 'zod';
import type { SimTreatment } from '../../market/types.js';
import { CallContext } from './call-context.js';
import { createGrpcFaults, type GrpcFaultController } from './grpc-faults.js';
import { loadServices } from './protos.js';
import { conversionUploadServiceHandlers } from './services/conversion-upload-service.js';
import { googleAdsServiceHandlers } from './services/google-ads-service.js';
import { offlineUserDataJobServiceHandlers } from './services/offline-user-data-job-service.js';
import { userListServiceHandlers } from './services/user-list-service.js';
import { GoogleAdsState, type ConversionActionRecord } from './state.js';
import { faultSpecSchema } from '../faults.js';
import { listenOnLoopback } from '../http-server.js';
import { createDataManagerApp, IngestRequests } from './data-manager/index.js';
import { createGoogleOAuthApp, GoogleOAuthTokens } from './oauth.js';
import { tapService, type ResponseTap } from './response-tap.js';

export { GoogleAdsState } from './state.js';
export type { CampaignRecord, StoredConversion, UserListRecord, OfflineJobRecord, ConversionActionRecord } from './state.js';
export { googleAdsClientOptionsFor, installEmulatorServiceClients, noRetryClientConfig, emulatedServiceClients } from './client-options.js';
export type { GoogleAdsEndpoint, InstallOptions } from './client-options.js';
export { createGrpcFaults } from './grpc-faults.js';
export type { GrpcFaultController } from './grpc-faults.js';
export { FAILURE_TRAILER_KEY } from './protos.js';
export { GoogleOAuthTokens } from './oauth.js';
export type { GoogleOAuthOptions } from './oauth.js';
export type { ResponseTap, TappedAnswer } from './response-tap.js';
export { adsProtoDir, commonProtoDir } from './protos.js';

export const DEFAULT_DEVELOPER_TOKEN = 'revloop-sandbox-developer-token';
export const DEFAULT_CUSTOMER_ID = '1234567890';

const optionsSchema = z.object({
  faults: faultSpecSchema.partial().default({}),
  seed: z.number().int().default(1),
  now: z.custom<() => number>((f) => typeof f === 'function').optional(),
  onTreatment: z.custom<(t: SimTreatment) => void>((f) => typeof f === 'function').optional(),
  developerTokens: z.array(z.string().min(1)).min(1).default([DEFAULT_DEVELOPER_TOKEN]),
  /** Basic access allows 15,000 operations a day; 0 = unlimited */
  requestsPerDay: z.number().int().min(0).default(15_000),
  customerId: z.string().regex(/^\d{10}$/).default(DEFAULT_CUSTOMER_ID),
  conversionActions: z.array(z.object({ id: z.string().regex(/^\d+$/), name: z.string() })).optional(),
  port: z.number().int().min(0).max(65535).default(0),
  /**
   * developer tokens allow-listed for Customer Match (OfflineUserDataJobService) and
   * UploadClickConversions; default: every accepted token. A token off the list gets
   * CUSTOMER_NOT_ALLOWLISTED_FOR_THIS_FEATURE, as new adopters do at Google.
   */
  uploadAllowlist: z.array(z.string()).optional(),
  /** how long a run offline user data job stays RUNNING (polls or emulator ms, whichever first) */
  jobProcessing: z.object({ polls: z.number().int().min(1), ms: z.number().int().min(0) }).optional(),
  /** serve gRPC over TLS with this PEM key and certificate (as googleads.googleapis.com does) */
  tls: z.object({ keyPem: z.string().min(1), certPem: z.string().min(1) }).optional(),
  /**
   * a loopback OAuth token endpoint (POST {oauthTokenUrl}) for this client and refresh token; every
   * gRPC call then needs a bearer it minted, refused once expired
   */
  oauth: z
    .object({ clientId: z.string().min(1), clientSecret: z.string().min(1), refreshToken: z.string().min(1), accessTokenTtlMs: z.number().int().positive().optional() })
    .optional(),
  /** every answer before it is serialized (contract tests check them against the protos) */
  onResponse: z.custom<ResponseTap>((f) => typeof f === 'function').optional(),
});

export type GoogleAdsEmulatorOptions = z.input<typeof optionsSchema>;

export interface GoogleAdsEmulator {
  /** host:port, e.g. '127.0.0.1:50123' */
  url: string;
  host: string;
  port: number;
  customerId: string;
  developerToken: string;
  state: GoogleAdsState;
  faults: GrpcFaultController;
  /** developer tokens allow-listed for uploads (mutable: delete a token to take it off) */
  uploadAllowlist: Set<string>;
  /** the Data Manager API emulator's base URL, http://127.0.0.1:PORT (its paths start /v1/) */
  dataManagerUrl: string;
  /** Data Manager ingestion requests received (for tests) */
  dataManagerRequests: IngestRequests;
  /** with `oauth`: the token endpoint's URL (http://127.0.0.1:PORT/token) and its tokens */
  oauthTokenUrl?: string;
  oauth?: GoogleOAuthTokens;
  stop(): Promise<void>;
}

export async function startGoogleAdsEmulator(options: GoogleAdsEmulatorOptions = {}): Promise<GoogleAdsEmulator> {
  const o = optionsSchema.parse(options);
  const now = o.now ?? (() => Date.now()); // the wall clock only when no simulated clock is given
  const state = new GoogleAdsState({
    customerId: o.customerId,
    now,
    onTreatment: o.onTreatment,
    conversionActions: o.conversionActions as ConversionActionRecord[] | undefined,
    ...(o.jobProcessing ? { jobProcessing: o.jobProcessing } : {}),
  });
  const uploadAllowlist = new Set(o.uploadAllowlist ?? o.developerTokens);
  const faults = createGrpcFaults(o.faults, o.seed);
  const oauth = o.oauth ? new GoogleOAuthTokens(o.oauth, now) : undefined;
  const ctx = new CallContext({ state, faults, developerTokens: o.developerTokens, requestsPerDay: o.requestsPerDay, seed: o.seed, uploadAllowlist, ...(oauth ? { oauth } : {}) });
  const services = loadServices();
  const server = new Server();
  const add = (name: string, svc: { service: unknown }, impl: object) =>
    server.addService(svc.service as never, o.onResponse ? tapService(name, impl as UntypedServiceImplementation, o.onResponse) : (impl as UntypedServiceImplementation));
  add('GoogleAdsService', services.GoogleAdsService, googleAdsServiceHandlers(ctx));
  add('ConversionUploadService', services.ConversionUploadService, conversionUploadServiceHandlers(ctx));
  add('UserListService', services.UserListService, userListServiceHandlers(ctx));
  add('OfflineUserDataJobService', services.OfflineUserDataJobService, offlineUserDataJobServiceHandlers(ctx));

  const host = '127.0.0.1';
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(
      `${host}:${o.port}`,
      o.tls ? ServerCredentials.createSsl(null, [{ private_key: Buffer.from(o.tls.keyPem), cert_chain: Buffer.from(o.tls.certPem) }], false) : ServerCredentials.createInsecure(),
      (err, p) => (err ? reject(err) : resolve(p)),
    ),
  );
  const dataManagerRequests = new IngestRequests(state);
  const dataManager = await listenOnLoopback(createDataManagerApp(state, dataManagerRequests));
  const oauthServer = oauth ? await listenOnLoopback(createGoogleOAuthApp(oauth)) : undefined;
  return {
    url: `${host}:${port}`,
    host,
    port,
    customerId: o.customerId,
    developerToken: o.developerTokens[0]!,
    state,
    faults,
    uploadAllowlist,
    dataManagerUrl: dataManager.url,
    dataManagerRequests,
    ...(oauth && oauthServer ? { oauth, oauthTokenUrl: `${oauthServer.url}/token` } : {}),
    stop: async () => {
      await Promise.all([
        dataManager.stop(),
        oauthServer?.stop(),
        new Promise<void>((resolve) => {
          // give in-flight calls a moment, then cut what is left
          const timer = setTimeout(() => server.forceShutdown(), 1000);
          server.tryShutdown(() => {
            clearTimeout(timer);
            resolve();
          });
        }),
      ]);
    },
  };
}
export { hashEmail } from '../hash-email.js';
