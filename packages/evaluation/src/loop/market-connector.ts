// A connector whose one action treats the simulated market directly: the in-process loop's
// execution target (benchmarks, and `revloop run --direct`). With the vendor connectors the same
// treatments arrive through HubSpot/Salesforce/LinkedIn/Google Ads emulators instead.
import { z } from 'zod';
import { defineAction, defineConnector } from '@revloop/core';
import type { Market, TreatmentChannel } from '@revloop/sandbox';

export const treatInputSchema = z
  .object({
    accountId: z.string().min(1),
    contactId: z.string().min(1).optional(),
    channel: z.enum(['email', 'linkedin', 'google', 'sales_task']),
    topic: z.string().optional(),
    variant: z.string().optional(),
    sendHour: z.number().int().min(0).max(23),
    decisionKey: z.string(),
  })
  .strict();
export type TreatInput = z.infer<typeof treatInputSchema>;

export function treatmentOf(market: Market, input: TreatInput) {
  const day = Math.floor(market.now() / 86_400_000) * 86_400_000;
  return { accountId: input.accountId, contactId: input.contactId, channel: input.channel as TreatmentChannel, topic: input.topic, variant: input.variant, sendHour: input.sendHour, at: day + input.sendHour * 3_600_000 };
}

export function marketConnector(market: Market) {
  return defineConnector({
    name: 'sandbox-market',
    version: '0.1.0',
    description: 'Applies decisions to the simulated market directly (no vendor API in between).',
    config: z.object({}).strict(),
    async check() {
      return { ok: true, message: `simulated market, day ${market.day}` };
    },
    streams: [],
    actions: [
      defineAction({
        name: 'treat',
        input: treatInputSchema,
        idempotencyKey: (i: TreatInput) => i.decisionKey,
        async run(_ctx, input: TreatInput) {
          const outcome = market.treat(treatmentOf(market, input));
          return { applied: !!outcome, cost: outcome?.cost ?? 0 };
        },
      }),
    ],
  });
}

/** The execute step's targets: every channel goes to the market's treat action. */
export function marketExecuteTargets(connector = 'market') {
  const input = (channel: string) => ({
    accountId: '{{account.ids.market}}',
    contactId: '{{contact.ids.market}}',
    channel,
    topic: '{{topic}}',
    variant: '{{variant}}',
    sendHour: '{{sendHour}}',
    decisionKey: '{{decisionKey}}',
  });
  return Object.fromEntries(['email', 'linkedin', 'google', 'sales_task'].map((c) => [c, { action: `${connector}.treat`, input: input(c) }]));
}
