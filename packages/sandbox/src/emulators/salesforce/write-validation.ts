// Validates a create/update body against an object's fields and returns either the values to
// store or Salesforce's per-record errors (the same ones the single and composite endpoints use).
import { isDate, parseDateTime } from './datetime.js';
import { normalizeId, sobjectOfId } from './ids.js';
import type { RecordLookup } from './record.js';
import type { FieldDef, ObjectDef } from './schema.js';

export interface SaveError {
  statusCode: string;
  message: string;
  fields: string[];
}

export type WriteMode = 'create' | 'update';
export type Validated = { ok: true; values: Record<string, unknown> } | { ok: false; errors: SaveError[] };

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const IGNORED_KEYS = new Set(['attributes', 'id']);

function coerce(def: FieldDef, raw: unknown, lookup: RecordLookup): { value: unknown } | SaveError {
  const err = (statusCode: string, message: string): SaveError => ({ statusCode, message, fields: [def.name] });
  if (raw === null) return { value: null };
  const parserError = () => err('JSON_PARSER_ERROR', `Cannot deserialize instance of ${def.type} from ${typeof raw} value ${JSON.stringify(raw)} or request may be missing a required field`);
  switch (def.type) {
    case 'boolean':
      return typeof raw === 'boolean' ? { value: raw } : parserError();
    case 'int':
      return typeof raw === 'number' && Number.isInteger(raw) ? { value: raw } : parserError();
    case 'double':
    case 'currency':
    case 'percent':
      return typeof raw === 'number' && Number.isFinite(raw) ? { value: raw } : parserError();
    case 'date':
      return typeof raw === 'string' && isDate(raw) ? { value: raw } : err('JSON_PARSER_ERROR', `Cannot deserialize value like ${String(raw)} from type date`);
    case 'datetime': {
      const ms = typeof raw === 'string' ? (parseDateTime(raw) ?? parseDateTime(raw.replace(/(\d{2}:\d{2}:\d{2})$/, '$1Z'))) : undefined;
      return ms === undefined ? err('JSON_PARSER_ERROR', `Cannot deserialize value like ${String(raw)} from type dateTime`) : { value: ms };
    }
    case 'reference': {
      const id = typeof raw === 'string' ? normalizeId(raw) : undefined;
      const type = id ? sobjectOfId(id) : undefined;
      if (raw === '') return { value: null };
      if (!id || !type || !def.referenceTo.includes(type)) return err('MALFORMED_ID', `${def.label}: id value of incorrect type: ${String(raw)}`);
      const target = lookup(id);
      if (!target) return err('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id');
      if (target.values.IsDeleted) return err('ENTITY_IS_DELETED', 'entity is deleted');
      return { value: id };
    }
    default: {
      if (typeof raw !== 'string' && typeof raw !== 'number' && typeof raw !== 'boolean') return parserError();
      const text = String(raw);
      if (text === '') return { value: null };
      if (def.length && text.length > def.length) return err('STRING_TOO_LONG', `${def.label}: data value too large: ${text.slice(0, 40)} (max length=${def.length})`);
      if (def.type === 'email' && !EMAIL.test(text)) return err('INVALID_EMAIL_ADDRESS', `${def.label}: invalid email address: ${text}`);
      return { value: text };
    }
  }
}

export function validateWrite(object: ObjectDef, body: Record<string, unknown>, mode: WriteMode, lookup: RecordLookup): Validated {
  const values: Record<string, unknown> = {};
  const errors: SaveError[] = [];
  const readOnly: string[] = [];
  for (const [key, raw] of Object.entries(body)) {
    if (IGNORED_KEYS.has(key.toLowerCase())) continue;
    const def = object.fields.get(key.toLowerCase());
    if (!def) {
      errors.push({ statusCode: 'INVALID_FIELD', message: `No such column '${key}' on sobject of type ${object.name}`, fields: [] });
      continue;
    }
    if (mode === 'create' ? !def.createable : !def.updateable) {
      readOnly.push(def.name);
      continue;
    }
    const coerced = coerce(def, raw, lookup);
    if ('statusCode' in coerced) errors.push(coerced);
    else values[def.name] = coerced.value;
  }
  if (readOnly.length)
    errors.push({
      statusCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
      message: `Unable to create/update fields: ${readOnly.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
      fields: readOnly,
    });
  if (errors.length) return { ok: false, errors };

  const missing = [...object.fields.values()]
    .filter((f) => f.required && (mode === 'create' ? values[f.name] === undefined || values[f.name] === null : f.name in values && values[f.name] === null))
    .map((f) => f.name);
  if (object.name === 'CampaignMember' && mode === 'create' && !values.ContactId && !values.LeadId) missing.push('ContactId', 'LeadId');
  if (missing.length) return { ok: false, errors: [{ statusCode: 'REQUIRED_FIELD_MISSING', message: `Required fields are missing: [${missing.join(', ')}]`, fields: missing }] };
  return { ok: true, values };
}
