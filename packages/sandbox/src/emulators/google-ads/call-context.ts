// Per-call checks shared by every service: fault injection, developer token, customer id,
// OAuth token expiry and the daily request quota; plus request ids and error mapping.
import { Metadata, status as GrpcStatus } from '@grpc/grpc-js';
import type { ServiceError } from '@grpc/grpc-js';
import { adsError, GoogleAdsCallError } from './failure.js';
import { GaqlError } from './gaql/parse.js';
import { isoDate } from './gaql/dates.js';
import type { GrpcFaultController } from './grpc-faults.js';
import { resourceExhausted } from './grpc-faults.js';
import type { GoogleAdsState } from './state.js';
import type { GoogleOAuthTokens } from './oauth.js';

export interface CallContextOptions {
  state: GoogleAdsState;
  faults: GrpcFaultController;
  developerTokens: string[];
  /** operations per developer token per (simulated) day; 0 = unlimited */
  requestsPerDay: number;
  seed: number;
  /** developer tokens allow-listed for Customer Match and click-conversion uploads */
  uploadAllowlist: Set<string>;
  /** when set, every call must carry a bearer minted by the emulator's token endpoint (TLS + OAuth mode) */
  oauth?: GoogleOAuthTokens;
}

/**
 * Google Ads API features closed to developer tokens that did not use them before Google's
 * cut-off (Google directs new integrations to the Data Manager API).
 */
export type AllowlistedFeature = 'customer_match' | 'click_conversion_upload';

export class CallContext {
  readonly state: GoogleAdsState;
  readonly faults: GrpcFaultController;
  private readonly developerTokens: Set<string>;
  private requestCounter = 0;
  private readonly usage = new Map<string, number>(); // `${token}|${day}` → requests
  private readonly tokenSeenAt = new Map<string, number>();
  /** developer tokens allow-listed for uploads; mutable (the sandbox can take a token off it) */
  readonly uploadAllowlist: Set<string>;

  constructor(private readonly options: CallContextOptions) {
    this.state = options.state;
    this.faults = options.faults;
    this.developerTokens = new Set(options.developerTokens);
    this.uploadAllowlist = options.uploadAllowlist;
  }

  /** Refuses a token off the upload allow-list the way Google does (NotAllowlistedError). */
  requireAllowlisted(metadata: Metadata, _feature: AllowlistedFeature): void {
    const token = String(metadata.get('developer-token')[0] ?? '');
    if (this.uploadAllowlist.has(token)) return;
    throw new GoogleAdsCallError(GrpcStatus.PERMISSION_DENIED, [
      adsError({ not_allowlisted_error: 'CUSTOMER_NOT_ALLOWLISTED_FOR_THIS_FEATURE' }, 'Customer is not allowlisted for accessing this feature.'),
    ]);
  }

  /** Deterministic, unique per call (the real API's request-id is opaque too). */
  nextRequestId(): string {
    this.requestCounter++;
    return `emu${this.options.seed.toString(36)}r${this.requestCounter.toString(36).padStart(8, '0')}`;
  }

  /** Throws a GoogleAdsCallError when the call must be refused. */
  authorize(metadata: Metadata, customerId: string | undefined): void {
    const token = String(metadata.get('developer-token')[0] ?? '');
    if (!token) {
      throw new GoogleAdsCallError(GrpcStatus.UNAUTHENTICATED, [
        adsError({ request_error: 'DEVELOPER_TOKEN_PARAMETER_MISSING' }, 'The developer-token header is missing.'),
      ]);
    }
    if (!this.developerTokens.has(token)) {
      throw new GoogleAdsCallError(GrpcStatus.UNAUTHENTICATED, [
        adsError({ authentication_error: 'DEVELOPER_TOKEN_INVALID' }, 'The developer token is not valid.'),
      ]);
    }
    this.checkAccessToken(metadata);
    const login = metadata.get('login-customer-id')[0];
    if (login !== undefined && !/^\d{10}$/.test(String(login))) {
      throw new GoogleAdsCallError(GrpcStatus.UNAUTHENTICATED, [
        adsError({ authentication_error: 'CLIENT_CUSTOMER_ID_INVALID' }, 'The login-customer-id header must be 10 digits without dashes.'),
      ]);
    }
    if (customerId !== undefined) {
      if (!/^\d{10}$/.test(customerId)) {
        throw new GoogleAdsCallError(GrpcStatus.INVALID_ARGUMENT, [
          adsError({ request_error: 'INVALID_CUSTOMER_ID' }, `Invalid customer id '${customerId}': 10 digits without dashes expected.`),
        ]);
      }
      if (customerId !== this.state.customerId) {
        throw new GoogleAdsCallError(GrpcStatus.PERMISSION_DENIED, [
          adsError({ authorization_error: 'USER_PERMISSION_DENIED' }, `The caller does not have permission to access customer ${customerId}.`),
        ]);
      }
    }
    this.countRequest(token);
  }

  /**
   * The emulator serves insecure loopback calls with no OAuth. A client that sends
   * `authorization: Bearer …` anyway gets its token expired after faults.tokenTtlMs (simulated).
   */
  private checkAccessToken(metadata: Metadata): void {
    const oauth = this.options.oauth;
    if (oauth) {
      const header = metadata.get('authorization')[0];
      const result = oauth.check(header === undefined ? undefined : String(header));
      if (result === 'expired') {
        throw new GoogleAdsCallError(GrpcStatus.UNAUTHENTICATED, [adsError({ authentication_error: 'OAUTH_TOKEN_EXPIRED' }, 'The OAuth access token has expired.')]);
      }
      if (result !== 'ok') {
        throw new GoogleAdsCallError(GrpcStatus.UNAUTHENTICATED, [
          adsError({ authentication_error: result === 'missing' ? 'OAUTH_TOKEN_HEADER_INVALID' : 'OAUTH_TOKEN_INVALID' }, result === 'missing' ? 'Request is missing required authentication credential. Expected OAuth 2 access token.' : 'The OAuth access token is invalid.'),
        ]);
      }
      return;
    }
    const ttl = this.faults.spec.tokenTtlMs;
    const header = metadata.get('authorization')[0];
    if (ttl <= 0 || header === undefined) return;
    const token = String(header);
    const now = this.state.now();
    const seen = this.tokenSeenAt.get(token) ?? now;
    this.tokenSeenAt.set(token, seen);
    if (now - seen >= ttl) {
      throw new GoogleAdsCallError(GrpcStatus.UNAUTHENTICATED, [
        adsError({ authentication_error: 'OAUTH_TOKEN_EXPIRED' }, 'The OAuth access token has expired.'),
      ]);
    }
  }

  private countRequest(token: string): void {
    if (this.options.requestsPerDay <= 0) return;
    const key = `${token}|${isoDate(this.state.now())}`;
    const used = (this.usage.get(key) ?? 0) + 1;
    if (used > this.options.requestsPerDay) throw resourceExhausted(86_400 - Math.floor((this.state.now() % 86_400_000) / 1000));
    this.usage.set(key, used);
  }

  /** Any thrown value → a gRPC error carrying a GoogleAdsFailure. */
  toServiceError(e: unknown, requestId: string): Partial<ServiceError> {
    if (e instanceof GoogleAdsCallError) return e.toServiceError(requestId);
    if (e instanceof GaqlError) {
      const trigger = e.trigger === undefined ? {} : { trigger: { string_value: e.trigger } };
      return new GoogleAdsCallError(GrpcStatus.INVALID_ARGUMENT, [adsError({ query_error: e.code }, e.message, trigger)]).toServiceError(requestId);
    }
    const message = e instanceof Error ? e.message : String(e);
    return new GoogleAdsCallError(GrpcStatus.INTERNAL, [adsError({ internal_error: 'INTERNAL_ERROR' }, `Internal error: ${message}`)]).toServiceError(requestId);
  }
}

/** Trailing metadata every successful call carries. */
export function requestIdTrailer(requestId: string): Metadata {
  const m = new Metadata();
  m.set('request-id', requestId);
  return m;
}

/** `customers/1234567890/…` → '1234567890' */
export function customerOf(resourceName: string | undefined): string | undefined {
  return /^customers\/([^/]+)\//.exec(resourceName ?? '')?.[1];
}
