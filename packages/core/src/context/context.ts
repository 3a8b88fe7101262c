// The context every plugin call receives.
import type { Store } from '@revloop/store';
import type { Clock } from './clock.js';
import type { Logger } from './logger.js';
import type { HttpClient } from './http.js';
import type { PluginState } from './plugin-state.js';
import type { Redactor } from './redact.js';

/** Hooks the cost ledger and budgets use: reserve before a paid call, settle after. */
export interface SpendHooks {
  reserve(amountMicros: number, label: { model?: string; step?: string }): Promise<{ id: string }>;
  settle(reservation: { id: string }, actualMicros: number, usage?: { tokensIn?: number; tokensOut?: number }): Promise<void>;
}

export interface PluginContext<TConfig = unknown> {
  /** the plugin instance's name in config (e.g. "hubspot") */
  readonly name: string;
  readonly config: TConfig;
  readonly store: Store;
  readonly log: Logger;
  readonly clock: Clock;
  readonly http: HttpClient;
  readonly state: PluginState;
  readonly spend: SpendHooks;
  readonly redactor: Redactor;
  /** aborted when the process is asked to stop (SIGTERM): finish or checkpoint and return */
  readonly signal: AbortSignal;
}
