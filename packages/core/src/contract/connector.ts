// The connector half of the plugin contract: streams (vendor → unified model), actions
// (decisions → vendor) and webhooks (vendor push → signals).
import type { z } from 'zod';
import type { EntityType, MergeInstruction, UnifiedRecord } from '@revloop/store';
import type { PluginContext } from '../context/context.js';
import { CONTRACT_VERSION } from './version.js';
import type { SignalKindDeclaration } from '../workflow/signal-kinds.js';
import type { CustomFieldsDeclaration } from '../workflow/custom-fields.js';

export type SyncMode = 'incremental' | 'full';

/** What a stream's read() yields: a batch of vendor records plus the checkpoint after it. */
export interface StreamBatch<TRecord, TCheckpoint> {
  records: TRecord[];
  /** vendor ids deleted/archived since the last batch (soft deletes) */
  deletes?: string[];
  /** merges reported by the vendor: the loser's id will resolve to the winner */
  merges?: MergeInstruction[];
  /** the checkpoint that covers everything up to and including this batch */
  checkpoint: TCheckpoint;
}

export interface StreamDefinition<TConfig = any, TRecord = any, TCheckpoint = any> {
  name: string;
  description?: string;
  /** the unified entity this stream fills */
  entity: EntityType;
  /** the vendor field the incremental cursor follows (documentation and status output) */
  cursor: string;
  /** how far back an incremental read re-reads to catch late data, ms */
  lookbackMs?: number;
  /** how deletes and merges arrive */
  deletes: 'archived-flag' | 'tombstones' | 'none';
  /** checkpoint shape; a stored checkpoint that fails it is reported as corrupt */
  checkpoint?: z.ZodType<TCheckpoint>;
  /** stop the whole batch when one record fails mapping (default: report it and go on) */
  failOnMappingError?: boolean;
  read(ctx: PluginContext<TConfig>, input: { checkpoint: TCheckpoint | undefined; mode: SyncMode }): AsyncIterable<StreamBatch<TRecord, TCheckpoint>>;
  /**
   * other entity types this stream emits from the same read (e.g. a webinar's attendees endpoint
   * gives contacts and their attendance signals): map() returns them as EmittedRecords, stored in
   * the same transaction as the batch's checkpoint
   */
  alsoEmits?: EntityType[];
  /**
   * map one vendor record to a unified record (throw to reject the record), or to several records
   * of `entity` and the `alsoEmits` types. May be async (an enrichment lookup): a batch's
   * checkpoint is stored only after every record of the batch was mapped and written.
   */
  map(record: TRecord, ctx: PluginContext<TConfig>): MapResult | Promise<MapResult>;
}

/** one record a stream emits for an entity type (its own `entity` or one of `alsoEmits`) */
export interface EmittedRecord {
  entity: EntityType;
  record: UnifiedRecord;
}

export type MapResult = UnifiedRecord | EmittedRecord[];

export interface ActionRecordResult<TResult = unknown> {
  key: string;
  ok: boolean;
  result?: TResult;
  error?: string;
}

export interface ActionDefinition<TConfig = any, TInput = any, TResult = any> {
  name: string;
  description?: string;
  input: z.ZodType<TInput>;
  /** the same key for the same intended write: a retried action never writes twice */
  idempotencyKey(input: TInput): string;
  run(ctx: PluginContext<TConfig>, input: TInput): Promise<TResult>;
  /**
   * Looks at the vendor whether this input's write already happened (by the vendor's own
   * idempotency, a stored vendor-side key or a deterministic natural key), without writing. Called
   * before an execution whose earlier attempt's outcome is unknown (a crash, a 5xx, a timeout or a
   * dropped connection after the request left) is sent again. `found: false` means it is safe to
   * send; `partial` lists what must still be written when a batch got half way.
   */
  reconcile?(ctx: PluginContext<TConfig>, input: TInput): Promise<ReconcileResult<TInput, TResult>>;
}

export type ReconcileResult<TInput = unknown, TResult = unknown> =
  | { found: true; result: TResult }
  | { found: false }
  | { found: 'partial'; remaining: TInput; done: TResult };

export interface WebhookRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

export interface WebhookDefinition<TConfig = any> {
  name: string;
  /** true only for a request the vendor really signed (and recently) */
  verify(ctx: PluginContext<TConfig>, request: WebhookRequest): boolean | Promise<boolean>;
  /**
   * a verified request's identity for replay protection (usually its signature) and when it stops
   * being acceptable anyway (its timestamp + the accepted age, ms): the server refuses the same key
   * again until then (409). Omit when the vendor's signature carries no timestamp.
   */
  replayKey?(ctx: PluginContext<TConfig>, request: WebhookRequest): { key: string; expiresAt: number } | undefined;
  /** turn a verified payload into signal records (entity 'signal') */
  toSignals(ctx: PluginContext<TConfig>, payload: unknown): UnifiedRecord[];
}

export interface CheckResult {
  ok: boolean;
  message: string;
}

/**
 * One thing `revloop check --live` confirmed (or could not) with read-only calls to the vendor:
 * an API version, a scope, an allow-list, a limit.
 */
export interface LiveCheckFinding {
  /** what was checked, e.g. "API version 62.0", "scope crm.objects.contacts.read" */
  what: string;
  /** false: something that will fail (a sync or an action) as configured */
  ok: boolean;
  /** what the vendor answered */
  detail: string;
  /** how to fix it (when not ok), or how to find out (when unknown) */
  fix?: string;
  /** cannot be known without a write: reported, not counted as a failure */
  unknown?: boolean;
}

export interface ConnectorDefinition<TSchema extends z.ZodType = z.ZodType> {
  kind: 'connector';
  contractVersion: string;
  name: string;
  version: string;
  description?: string;
  config: TSchema;
  check(ctx: PluginContext<z.infer<TSchema>>): Promise<CheckResult>;
  /**
   * optional: read-only calls that confirm, for real credentials, what would fail later — the
   * API version, scopes, allow-lists and limits (`revloop check --live`). Never writes.
   */
  liveCheck?(ctx: PluginContext<z.infer<TSchema>>): Promise<LiveCheckFinding[]>;
  streams: StreamDefinition<z.infer<TSchema>>[];
  actions?: ActionDefinition<z.infer<TSchema>>[];
  webhooks?: WebhookDefinition<z.infer<TSchema>>[];
  /**
   * signal kinds beyond the built-in nine that this connector's streams emit, each with a
   * category (web, content, event, email, ad, sales): the models weigh them through it
   */
  signalKinds?: Record<string, SignalKindDeclaration>;
  /** typed custom fields of accounts and contacts (keys of the mapped records' attributes) that workflow steps may read */
  customFields?: CustomFieldsDeclaration;
}

export type ConnectorInput<TSchema extends z.ZodType> = Omit<ConnectorDefinition<TSchema>, 'kind' | 'contractVersion'>;

/** Declare a connector. Its config type is inferred from the zod schema (written once). */
export function defineConnector<TSchema extends z.ZodType>(definition: ConnectorInput<TSchema>): ConnectorDefinition<TSchema> {
  return { kind: 'connector', contractVersion: CONTRACT_VERSION, ...definition };
}

/** Declare a stream in its own file; TConfig is the connector's inferred config type. */
export function defineStream<TConfig, TRecord = any, TCheckpoint = any>(
  stream: StreamDefinition<TConfig, TRecord, TCheckpoint>,
): StreamDefinition<TConfig, TRecord, TCheckpoint> {
  return stream;
}

/** Declare an action in its own file. */
export function defineAction<TConfig, TInput, TResult>(action: ActionDefinition<TConfig, TInput, TResult>): ActionDefinition<TConfig, TInput, TResult> {
  return action;
}
