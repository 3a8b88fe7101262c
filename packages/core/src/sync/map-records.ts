// Runs a stream's map() over a batch and checks every mapped record against the unified model,
// so that a bad record is reported with its id instead of failing deep inside the store.
import { entityDefinitions, type EntityType, type UnifiedRecord } from '@revloop/store';
import type { StreamDefinition } from '../contract/connector.js';
import type { PluginContext } from '../context/context.js';
import { errorMessage } from '../errors.js';

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

export function mapBatch<TRecord>(
  stream: StreamDefinition<any, TRecord>,
  ctx: PluginContext<any>,
  records: TRecord[],
): { mapped: UnifiedRecord[]; errors: RecordError[] } {
  const mapped: UnifiedRecord[] = [];
  const errors: RecordError[] = [];
  for (const record of records) {
    try {
      const m = stream.map(record, ctx);
      const problem = checkMapped(stream.entity, m);
      if (problem) errors.push({ recordId: m?.systemId || vendorIdOf(record), message: problem });
      else mapped.push(m);
    } catch (e) {
      errors.push({ recordId: vendorIdOf(record), message: ctx.redactor.text(errorMessage(e)) });
    }
  }
  return { mapped, errors };
}
