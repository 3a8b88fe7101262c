// Fault injection shared by the HTTP emulators (HubSpot, Salesforce, LinkedIn, OpenAI).
// Each emulator supplies the vendor's own 5xx / 429 bodies; this module only decides when.
import { z } from 'zod';
import type { MiddlewareHandler } from 'hono';

export const faultSpecSchema = z
  .object({
    /** share of requests answered with a 5xx (0..1) */
    serverErrorRate: z.number().min(0).max(1).default(0),
    /** added latency per request, ms */
    latencyMs: z.number().int().min(0).default(0),
    /** share of requests answered with a 429 (a "storm" when high) */
    rateLimitRate: z.number().min(0).max(1).default(0),
    /** share of requests whose connection is destroyed before the response is written */
    dropConnectionRate: z.number().min(0).max(1).default(0),
    /** access tokens expire this many ms (simulated or wall, per emulator) after issue; 0 = never */
    tokenTtlMs: z.number().int().min(0).default(0),
  })
  .strict();

export type FaultSpec = z.infer<typeof faultSpecSchema>;
export const noFaults: FaultSpec = faultSpecSchema.parse({});

/** A small seeded PRNG (mulberry32) so that fault sequences are reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface FaultResponses {
  serverError: () => Response;
  rateLimited: () => Response;
}

export interface FaultController {
  spec: FaultSpec;
  set(spec: Partial<FaultSpec>): void;
  middleware(responses: FaultResponses): MiddlewareHandler;
}

/** Holds a live, mutable fault spec (tests change it between calls) and a hono middleware. */
export function createFaults(initial: Partial<FaultSpec> = {}, seed = 1): FaultController {
  const random = seededRandom(seed);
  const controller: FaultController = {
    spec: faultSpecSchema.parse(initial),
    set(spec) {
      controller.spec = faultSpecSchema.parse({ ...controller.spec, ...spec });
    },
    middleware(responses) {
      return async (c, next) => {
        const spec = controller.spec;
        if (spec.latencyMs > 0) await new Promise((r) => setTimeout(r, spec.latencyMs));
        if (spec.dropConnectionRate > 0 && random() < spec.dropConnectionRate) {
          // @hono/node-server exposes the Node objects on c.env
          const env = c.env as { incoming?: { socket?: { destroy(): void } } } | undefined;
          env?.incoming?.socket?.destroy();
          return new Response(null, { status: 500 });
        }
        if (spec.rateLimitRate > 0 && random() < spec.rateLimitRate) return responses.rateLimited();
        if (spec.serverErrorRate > 0 && random() < spec.serverErrorRate) return responses.serverError();
        await next();
      };
    },
  };
  return controller;
}
