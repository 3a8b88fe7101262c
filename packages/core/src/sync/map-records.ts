// Runs a stream's map() over a batch and checks every mapped record against the unified model,
// so that a bad record is reported with its id instead of failing deep inside the store.
import { entityDefinitions, type EntityType, type UnifiedRecord } from '@revloop/store';
import type { EmittedRecord, MapResult, StreamDefinition } from '../contract/connector.js';
import type { PluginContext } from '../context/context.js';
import { errorMessage } from '../errors.js';
import type { SecretStripper } from './strip-secrets.js';

export interface RecordError {
  recordId: string;
  message: string;
}

const allowedCache = new Map<EntityType, Set<string>>();
function allowedFields(entity: EntityType): Set<string> {
  let set = allowedCache.get(entity);
  if (!set) allowedCache.set(entity, (set = new Set(entityDefinitions[entity].columns)));
  return set;
}

/** Best-effort id of a raw vendor record, for error messages. */
export function vendorIdOf(record: unknown): string {
  if (record && typeof record === 'object') {
    for (const k of ['id', 'Id', 'ID', 'objectId', 'externalId', 'key']) {
      const v = (record as Record<string, unknown>)[k];
      if ((typeof v === 'string' && v.trim() !== '') || (typeof v === 'number' && Number.isFinite(v))) return String(v);
    }
  }
  return '(unknown id)';
}

export function checkMapped(entity: EntityType, mapped: UnifiedRecord): string | undefined {
  if (!mapped || typeof mapped !== 'object') return 'map() returned nothing';
  if (typeof mapped.systemId !== 'string' || mapped.systemId === '') return 'map() returned a record without a systemId';
  const allowed = allowedFields(entity);
  for (const [k, v] of Object.entries(mapped.fields ?? {})) {
    if (!allowed.has(k)) return `field "${k}" is not a column of ${entity} (allowed: ${[...allowed].join(', ')}); put it in attributes instead`;
    if (v !== null && v !== undefined && typeof v !== 'string' && typeof v !== 'number') return `field "${k}" must be a string, a number or null, got ${typeof v}`;
    if (typeof v === 'number' && !Number.isFinite(v)) return `field "${k}" is not a finite number`;
  }
  for (const k of entityDefinitions[entity].required) {
    const v = mapped.fields?.[k];
    if (v === undefined || v === null) return `required field "${k}" is missing`;
  }
  return undefined;
}

export interface MappedBatch {
  /** records of the stream's own entity */
  mapped: UnifiedRecord[];
  /** records of the other entity types the stream emits (alsoEmits), per type */
  also: Map<EntityType, UnifiedRecord[]>;
  errors: RecordError[];
}

/**
 * Maps a batch. map() may return one record, several EmittedRecords, or a promise of either: the
 * promises of a batch are awaited together (an enrichment lookup per record runs concurrently),
 * and a batch without any costs no await per record.
 */
export async function mapBatch<TRecord>(stream: StreamDefinition<any, TRecord>, ctx: PluginContext<any>, records: TRecord[], strip?: SecretStripper): Promise<MappedBatch> {
  const out: MappedBatch = { mapped: [], also: new Map(), errors: [] };
  const results: (MapResult | Promise<MapResult> | Error)[] = new Array(records.length);
  let async = false;
  for (let i = 0; i < records.length; i++) {
    try {
      const r = stream.map(records[i]!, ctx);
      if (r && typeof (r as Promise<MapResult>).then === 'function') async = true;
      results[i] = r;
    } catch (e) {
      results[i] = e instanceof Error ? e : new Error(String(e));
    }
  }
  const settled = async ? await Promise.allSettled(results.map((r) => (r instanceof Error ? Promise.reject(r) : r))) : undefined;
  for (let i = 0; i < records.length; i++) {
    const record = records[i]!;
    let result: MapResult;
    if (settled) {
      const s = settled[i]!;
      if (s.status === 'rejected') {
        out.errors.push({ recordId: vendorIdOf(record), message: ctx.redactor.text(errorMessage(s.reason)) });
        continue;
      }
      result = s.value;
    } else {
      const r = results[i]!;
      if (r instanceof Error) {
        out.errors.push({ recordId: vendorIdOf(record), message: ctx.redactor.text(errorMessage(r)) });
        continue;
      }
      result = r as MapResult;
    }
    if (Array.isArray(result)) keepEmitted(stream, record, result, out);
    else keep(stream.entity, record, result, out.mapped, out.errors);
  }
  if (strip) {
    out.mapped = out.mapped.map(strip);
    for (const [entity, records] of out.also) out.also.set(entity, records.map(strip));
  }
  return out;
}

function keep(entity: EntityType, record: unknown, m: UnifiedRecord, into: UnifiedRecord[], errors: RecordError[]): void {
  const problem = checkMapped(entity, m);
  if (problem) errors.push({ recordId: m?.systemId || vendorIdOf(record), message: problem });
  else into.push(m);
}

/** several records from one: all of them or, when one is invalid, none (the vendor record is refused) */
function keepEmitted(stream: StreamDefinition<any, any>, record: unknown, emitted: EmittedRecord[], out: MappedBatch): void {
  const allowed = new Set<EntityType>([stream.entity, ...(stream.alsoEmits ?? [])]);
  const problems: RecordError[] = [];
  const ok: { entity: EntityType; record: UnifiedRecord }[] = [];
  for (const e of emitted) {
    if (!e || !allowed.has(e.entity)) {
      problems.push({ recordId: vendorIdOf(record), message: `map() emitted a ${e?.entity ?? 'record without an entity'}, which stream ${stream.name} does not declare (entity ${stream.entity}${stream.alsoEmits?.length ? `, alsoEmits ${stream.alsoEmits.join(', ')}` : ''})` });
      continue;
    }
    const before = problems.length;
    const into: UnifiedRecord[] = [];
    keep(e.entity, record, e.record, into, problems);
    if (problems.length === before) ok.push({ entity: e.entity, record: into[0]! });
  }
  if (problems.length) {
    out.errors.push(...problems);
    return;
  }
  for (const e of ok) {
    if (e.entity === stream.entity) out.mapped.push(e.record);
    else (out.also.get(e.entity) ?? out.also.set(e.entity, []).get(e.entity)!).push(e.record);
  }
}
