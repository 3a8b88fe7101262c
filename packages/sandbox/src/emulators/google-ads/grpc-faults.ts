// gRPC counterpart of ../faults.ts: the same FaultSpec and seeded PRNG, answered the way the
// Google Ads API fails (status codes + GoogleAdsFailure), not with HTTP responses.
import { status as GrpcStatus } from '@grpc/grpc-js';
import { faultSpecSchema, seededRandom, type FaultSpec } from '../faults.js';
import { adsError, GoogleAdsCallError } from './failure.js';

/** What the fault layer decided for one call. */
export type FaultOutcome = { kind: 'pass' } | { kind: 'fail'; error: GoogleAdsCallError } | { kind: 'drop' };

export interface GrpcFaultController {
  spec: FaultSpec;
  set(spec: Partial<FaultSpec>): void;
  /** waits the configured latency, then draws this call's fate */
  decide(): Promise<FaultOutcome>;
}

export function unavailable(): GoogleAdsCallError {
  return new GoogleAdsCallError(GrpcStatus.UNAVAILABLE, [
    adsError({ internal_error: 'TRANSIENT_ERROR' }, 'The service is temporarily unavailable. Retry later.'),
  ]);
}

export function resourceExhausted(retrySeconds: number, scope: 'DEVELOPER' | 'ACCOUNT' = 'DEVELOPER'): GoogleAdsCallError {
  return new GoogleAdsCallError(GrpcStatus.RESOURCE_EXHAUSTED, [
    adsError({ quota_error: 'RESOURCE_EXHAUSTED' }, 'Too many requests. Retry in ' + retrySeconds + ' seconds.', {
      details: {
        quota_error_details: { rate_scope: scope, rate_name: 'Number of operations for basic access', retry_delay: { seconds: retrySeconds } },
      },
    }),
  ]);
}

export function createGrpcFaults(initial: Partial<FaultSpec> = {}, seed = 1): GrpcFaultController {
  const random = seededRandom(seed);
  const controller: GrpcFaultController = {
    spec: faultSpecSchema.parse(initial),
    set(spec) {
      controller.spec = faultSpecSchema.parse({ ...controller.spec, ...spec });
    },
    async decide() {
      const spec = controller.spec;
      if (spec.latencyMs > 0) await new Promise((r) => setTimeout(r, spec.latencyMs));
      if (spec.dropConnectionRate > 0 && random() < spec.dropConnectionRate) return { kind: 'drop' };
      if (spec.rateLimitRate > 0 && random() < spec.rateLimitRate) return { kind: 'fail', error: resourceExhausted(30) };
      if (spec.serverErrorRate > 0 && random() < spec.serverErrorRate) return { kind: 'fail', error: unavailable() };
      return { kind: 'pass' };
    },
  };
  return controller;
}
