// Wraps service logic into grpc-js handlers: faults, auth, request ids and error mapping in one
// place, so each service file only holds the vendor behaviour.
import { status as GrpcStatus } from '@grpc/grpc-js';
import type { sendUnaryData, ServerUnaryCall, ServerWritableStream } from '@grpc/grpc-js';
import { adsError, GoogleAdsCallError } from './failure.js';
import { requestIdTrailer, type AllowlistedFeature, type CallContext } from './call-context.js';

type Req = Record<string, unknown>;

function dropped(): GoogleAdsCallError {
  return new GoogleAdsCallError(GrpcStatus.UNAVAILABLE, [adsError({ internal_error: 'TRANSIENT_ERROR' }, 'Connection dropped.')]);
}

export function unaryHandler<Q extends Req, R>(
  ctx: CallContext,
  customerIdOf: (req: Q) => string | undefined,
  run: (req: Q, requestId: string) => R,
  /** a feature only allow-listed developer tokens may use (Customer Match, click-conversion uploads) */
  allowlisted?: AllowlistedFeature,
) {
  return async (call: ServerUnaryCall<Q, R>, callback: sendUnaryData<R>) => {
    const requestId = ctx.nextRequestId();
    try {
      const fault = await ctx.faults.decide();
      if (fault.kind === 'drop') throw dropped();
      if (fault.kind === 'fail') throw fault.error;
      ctx.authorize(call.metadata, customerIdOf(call.request));
      if (allowlisted) ctx.requireAllowlisted(call.metadata, allowlisted);
      callback(null, run(call.request, requestId), requestIdTrailer(requestId));
    } catch (e) {
      callback(ctx.toServiceError(e, requestId));
    }
  };
}

/** A server stream of pre-computed messages; a dropped connection cancels it after some messages. */
export function streamHandler<Q extends Req, R>(
  ctx: CallContext,
  customerIdOf: (req: Q) => string | undefined,
  run: (req: Q, requestId: string) => R[],
) {
  return async (call: ServerWritableStream<Q, R>) => {
    const requestId = ctx.nextRequestId();
    try {
      const fault = await ctx.faults.decide();
      if (fault.kind === 'fail') throw fault.error;
      ctx.authorize(call.metadata, customerIdOf(call.request));
      const messages = run(call.request, requestId);
      const sendCount = fault.kind === 'drop' ? Math.floor(messages.length / 2) : messages.length;
      for (let i = 0; i < sendCount; i++) {
        if (call.cancelled) return;
        if (!call.write(messages[i]!)) await new Promise<void>((resolve) => call.once('drain', resolve));
      }
      if (fault.kind === 'drop') {
        call.emit('error', { code: GrpcStatus.CANCELLED, details: 'Stream cancelled: connection dropped mid-way.' });
        return;
      }
      call.end(requestIdTrailer(requestId));
    } catch (e) {
      call.emit('error', ctx.toServiceError(e, requestId));
    }
  };
}
