// Google Ads errors: a GoogleAdsFailure travels either in the
// `google.ads.googleads.v24.errors.googleadsfailure-bin` trailer of a failed call, or inside a
// google.rpc.Status `partial_failure_error` of a successful mutate/upload.
import { Metadata, status as GrpcStatus } from '@grpc/grpc-js';
import type { ServiceError } from '@grpc/grpc-js';
import { FAILURE_TRAILER_KEY, FAILURE_TYPE_URL, googleAdsFailureType } from './protos.js';

/** One entry of ErrorCode's oneof, e.g. { query_error: 'UNRECOGNIZED_FIELD' }. */
export type AdsErrorCode = Record<string, string>;

export interface AdsError {
  error_code: AdsErrorCode;
  message: string;
  trigger?: { string_value: string };
  location?: { field_path_elements: { field_name: string; index?: number }[] };
  details?: Record<string, unknown>;
}

export function adsError(code: AdsErrorCode, message: string, extra: Partial<AdsError> = {}): AdsError {
  return { error_code: code, message, ...extra };
}

/** The location of the n-th operation of a batch, as the real API reports it. */
export function operationLocation(listField: string, index: number, ...inner: string[]) {
  return {
    field_path_elements: [{ field_name: listField, index }, ...inner.map((field_name) => ({ field_name }))],
  };
}

export function encodeFailure(errors: AdsError[], requestId: string): Buffer {
  const type = googleAdsFailureType();
  return Buffer.from(type.encode(type.fromObject({ errors, request_id: requestId })).finish());
}

/** A call-level failure: gRPC status + the GoogleAdsFailure trailer + request-id. */
export class GoogleAdsCallError extends Error {
  constructor(
    readonly code: GrpcStatus,
    readonly errors: AdsError[],
  ) {
    super(errors.map((e) => e.message).join('; '));
  }

  toServiceError(requestId: string): Partial<ServiceError> {
    const metadata = new Metadata();
    metadata.set(FAILURE_TRAILER_KEY, encodeFailure(this.errors, requestId));
    metadata.set('request-id', requestId);
    return { code: this.code, details: this.message, metadata };
  }
}

/** google.rpc.Status for `partial_failure_error`, or undefined when nothing failed. */
export function partialFailureStatus(errors: AdsError[], requestId: string) {
  if (errors.length === 0) return undefined;
  return {
    code: GrpcStatus.INVALID_ARGUMENT,
    message: errors.map((e) => e.message).join(', '),
    details: [{ type_url: FAILURE_TYPE_URL, value: encodeFailure(errors, requestId) }],
  };
}
