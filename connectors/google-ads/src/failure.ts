// Google Ads failures, normalised. The same failure reaches us in three shapes:
// - a SearchStream error: a grpc ServiceError whose trailer carries an encoded GoogleAdsFailure;
// - a service call (uploadClickConversions…): google-ads-api throws the already DECODED
//   GoogleAdsFailure (the gRPC status code is lost on the way);
// - a partial failure: the response's partial_failure_error is a google.rpc.Status whose
//   details hold an encoded GoogleAdsFailure (NOT decoded by the service call).
// All three become an AdsFailure with enum NAMES ('quota_error.RESOURCE_EXHAUSTED'), since gax
// decodes enums to names in responses but the failure decoders give numbers.
import { RevloopError } from '@revloop/core';
import { FAILURE_TRAILER_KEY } from './version.js';
import type { GoogleAdsLib } from './client.js';

export const GrpcCode = {
  CANCELLED: 1,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  UNAUTHENTICATED: 16,
} as const;

export interface AdsErrorItem {
  /** '<category>.<NAME>', e.g. 'conversion_upload_error.CLICK_NOT_FOUND' */
  code: string;
  message: string;
  /** the operation index (conversions[i], operations[i]) for per-operation errors */
  index?: number;
  /** quota errors: how long Google asks us to wait */
  retryDelayMs?: number;
}

export interface AdsFailure {
  grpcCode?: number;
  errors: AdsErrorItem[];
  requestId?: string;
  message: string;
}

type FailureObject = {
  errors?: {
    error_code?: Record<string, string | number>;
    message?: string;
    location?: { field_path_elements?: { field_name?: string; index?: number }[] };
    details?: { quota_error_details?: { retry_delay?: { seconds?: string | number; nanos?: number } } };
  }[];
  request_id?: string;
};

function itemsOf(lib: GoogleAdsLib, failure: unknown): { items: AdsErrorItem[]; requestId?: string } {
  const F = lib.errors.GoogleAdsFailure;
  const obj = F.toObject(failure as never, { enums: String, longs: String }) as FailureObject;
  const items = (obj.errors ?? []).map((e): AdsErrorItem => {
    const [category, name] = Object.entries(e.error_code ?? {})[0] ?? ['unknown_error', 'UNKNOWN'];
    const index = e.location?.field_path_elements?.find((p) => typeof p.index === 'number')?.index;
    const delay = e.details?.quota_error_details?.retry_delay;
    return {
      code: `${category}.${String(name)}`,
      message: e.message ?? '',
      ...(index === undefined ? {} : { index }),
      ...(delay ? { retryDelayMs: Number(delay.seconds ?? 0) * 1000 + Math.round((delay.nanos ?? 0) / 1e6) } : {}),
    };
  });
  return { items, requestId: obj.request_id || undefined };
}

/** Any error thrown by google-ads-api / gax → AdsFailure. */
export function describeError(lib: GoogleAdsLib, e: unknown): AdsFailure {
  const F = lib.errors.GoogleAdsFailure;
  if (e instanceof F) {
    const { items, requestId } = itemsOf(lib, e);
    return { errors: items, requestId, message: items.map((i) => `${i.code}: ${i.message}`).join('; ') || 'Google Ads failure' };
  }
  const err = e as { code?: unknown; details?: unknown; message?: unknown; metadata?: { get?(key: string): unknown[] } };
  const grpcCode = typeof err?.code === 'number' ? err.code : undefined;
  const trailer = err?.metadata?.get?.(FAILURE_TRAILER_KEY)?.[0];
  if (trailer instanceof Uint8Array) {
    const { items, requestId } = itemsOf(lib, F.decode(trailer));
    return { grpcCode, errors: items, requestId, message: items.map((i) => `${i.code}: ${i.message}`).join('; ') };
  }
  const message = typeof err?.details === 'string' && err.details ? err.details : e instanceof Error ? e.message : String(e);
  return { grpcCode, errors: [], message };
}

/** partial_failure_error (a google.rpc.Status with an encoded GoogleAdsFailure) → errors by operation. */
export function decodePartialFailure(lib: GoogleAdsLib, status: unknown): AdsErrorItem[] {
  const s = status as { code?: number; message?: string; details?: { type_url?: string; value?: Uint8Array }[] } | null | undefined;
  if (!s || (!s.code && !s.details?.length)) return [];
  const detail = s.details?.find((d) => d.type_url?.endsWith('errors.GoogleAdsFailure'));
  if (!detail?.value) return [{ code: 'unknown_error.UNDECODABLE_PARTIAL_FAILURE', message: s.message ?? 'partial failure without details' }];
  return itemsOf(lib, lib.errors.GoogleAdsFailure.decode(detail.value)).items;
}

const retriableCodes = new Set<string>([
  'quota_error.RESOURCE_EXHAUSTED',
  'quota_error.RESOURCE_TEMPORARILY_EXHAUSTED',
  'internal_error.TRANSIENT_ERROR',
  'internal_error.INTERNAL_ERROR',
  'internal_error.DEADLINE_EXCEEDED',
]);
const retriableGrpc = new Set<number>([GrpcCode.CANCELLED, GrpcCode.DEADLINE_EXCEEDED, GrpcCode.RESOURCE_EXHAUSTED, GrpcCode.INTERNAL, GrpcCode.UNAVAILABLE]);

export function isRetriable(f: AdsFailure): boolean {
  if (f.errors.length) return f.errors.every((e) => retriableCodes.has(e.code));
  return f.grpcCode !== undefined && retriableGrpc.has(f.grpcCode);
}

export function isQuota(f: AdsFailure): boolean {
  return f.grpcCode === GrpcCode.RESOURCE_EXHAUSTED || f.errors.some((e) => e.code.startsWith('quota_error.'));
}

export function retryDelayOf(f: AdsFailure): number | undefined {
  const delays = f.errors.map((e) => e.retryDelayMs).filter((d): d is number => d !== undefined);
  return delays.length ? Math.max(...delays) : undefined;
}

const authFixes: Record<string, string> = {
  'authentication_error.DEVELOPER_TOKEN_INVALID': 'set developerToken to the token shown in the API Center of your Google Ads manager account',
  'authentication_error.DEVELOPER_TOKEN_NOT_APPROVED': 'the developer token has test access only: apply for Basic access or use a test account',
  'request_error.DEVELOPER_TOKEN_PARAMETER_MISSING': 'set developerToken',
  'authentication_error.OAUTH_TOKEN_EXPIRED': 'the access token expired: check clientId, clientSecret and refreshToken',
  'authentication_error.OAUTH_TOKEN_INVALID': 'check clientId, clientSecret and refreshToken (re-run the OAuth consent to get a new refresh token)',
  'authentication_error.CLIENT_CUSTOMER_ID_INVALID': 'loginCustomerId must be 10 digits without dashes',
};

export const NOT_ALLOWLISTED = 'not_allowlisted_error.CUSTOMER_NOT_ALLOWLISTED_FOR_THIS_FEATURE';

/** the upload feature a call label belongs to, for the allow-list error */
function featureOf(where: string): string {
  if (/customer-match/.test(where)) return 'Customer Match uploads (OfflineUserDataJobService)';
  if (/click-conversions/.test(where)) return 'offline click-conversion uploads (ConversionUploadService.UploadClickConversions)';
  return 'this feature';
}

/** An AdsFailure a person can act on: code, what, where, how to fix. */
export function toRevloopError(f: AdsFailure, where: string): RevloopError {
  const first = f.errors[0]?.code;
  const detail = `${f.message}${f.requestId ? ` (request-id ${f.requestId})` : ''}`;
  if (f.errors.some((e) => e.code === NOT_ALLOWLISTED)) {
    return new RevloopError(
      'GOOGLE_ADS_NOT_ALLOWLISTED',
      `Google Ads refused ${featureOf(where)} for this developer token: CUSTOMER_NOT_ALLOWLISTED_FOR_THIS_FEATURE. Google keeps these Google Ads API uploads on an allow-list of developer tokens that used them before its cut-off, and directs new integrations to the Data Manager API (${detail})`,
      {
        where,
        fix: "set uploadPath: 'data-manager' in this connector's config to upload through the Data Manager API (datamanager.googleapis.com; the OAuth consent must include the https://www.googleapis.com/auth/datamanager scope), or ask Google to allow-list the developer token",
        kind: 'bad_input',
      },
    );
  }
  if (f.grpcCode === GrpcCode.UNAUTHENTICATED || first?.startsWith('authentication_error.') || first === 'request_error.DEVELOPER_TOKEN_PARAMETER_MISSING') {
    return new RevloopError('GOOGLE_ADS_AUTH_FAILED', `Google Ads refused the credentials: ${detail}`, {
      where,
      fix: (first && authFixes[first]) ?? 'check developerToken, clientId, clientSecret and refreshToken',
    });
  }
  if (f.grpcCode === GrpcCode.PERMISSION_DENIED || first?.startsWith('authorization_error.')) {
    return new RevloopError('GOOGLE_ADS_PERMISSION_DENIED', `Google Ads denied access: ${detail}`, {
      where,
      fix: 'check customerId, and set loginCustomerId to the manager account when the user reaches the account through one',
    });
  }
  if (isQuota(f)) {
    return new RevloopError('RATE_LIMIT_EXHAUSTED', `the Google Ads quota is spent: ${detail}`, {
      where,
      fix: 'wait for the quota to reset (daily operations reset at midnight Pacific time); the next run resumes from the last checkpoint',
    });
  }
  if (first?.startsWith('query_error.')) {
    return new RevloopError('GOOGLE_ADS_QUERY_INVALID', `Google Ads refused the query: ${detail}`, { where, fix: 'this is a connector bug: report it with the message above' });
  }
  return new RevloopError('GOOGLE_ADS_REQUEST_FAILED', `Google Ads request failed${f.grpcCode === undefined ? '' : ` (gRPC ${f.grpcCode})`}: ${detail}`, {
    where,
    fix: isRetriable(f) ? 'a transient failure that outlasted the retries: run again later (the checkpoint is kept)' : 'see the message; fix the input or the config and run again',
  });
}
