// A tap on every answer a service sends, before grpc-js serializes it: the plain response
// objects (and the error of a refused call, with its GoogleAdsFailure trailer). grpc-js drops a
// field the proto does not declare without a word, so the contract test checks these objects
// against the protos to find the emulator's drift where it happens.
import type { Metadata, UntypedServiceImplementation } from '@grpc/grpc-js';

export interface TappedAnswer {
  service: string;
  method: string;
  /** the response message (a unary answer, or one message of a server stream) */
  response?: object;
  /** the error's trailing metadata (the GoogleAdsFailure lives there) */
  errorMetadata?: Metadata;
}

export type ResponseTap = (answer: TappedAnswer) => void;

type AnyCall = { write?: (m: object) => boolean; emit?: (event: string, ...args: unknown[]) => boolean };

/** wraps each method of a service implementation so that its answers reach `tap` */
export function tapService(service: string, impl: UntypedServiceImplementation, tap: ResponseTap): UntypedServiceImplementation {
  const wrapped: UntypedServiceImplementation = {};
  for (const [method, handler] of Object.entries(impl)) {
    const h = handler as (...args: unknown[]) => unknown;
    wrapped[method] = ((call: AnyCall, callback?: (err: unknown, value?: object) => void) => {
      if (typeof callback === 'function') {
        return h(call, (err: unknown, value?: object) => {
          const metadata = (err as { metadata?: Metadata } | null)?.metadata;
          tap({ service, method, ...(value ? { response: value } : {}), ...(metadata ? { errorMetadata: metadata } : {}) });
          callback(err, value);
        });
      }
      // a server stream: its writes and its error
      const write = call.write!.bind(call);
      call.write = (m: object) => {
        tap({ service, method, response: m });
        return write(m);
      };
      const emit = call.emit!.bind(call);
      call.emit = (event: string, ...args: unknown[]) => {
        const metadata = event === 'error' ? (args[0] as { metadata?: Metadata } | undefined)?.metadata : undefined;
        if (metadata) tap({ service, method, errorMetadata: metadata });
        return emit(event, ...args);
      };
      return h(call);
    }) as never;
  }
  return wrapped;
}
