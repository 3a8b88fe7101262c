// Checks a parsed query against the schema and turns it into plain functions (filter, compare,
// project) so that executing it over thousands of records costs one pass plus one sort.
import { SalesforceApiError, soqlErrorMessage } from '../errors.js';
import { formatDateTime } from '../datetime.js';
import { normalizeId } from '../ids.js';
import type { SfRecord, RecordLookup } from '../record.js';
import { objectNamed, type FieldDef, type ObjectDef, type Schema } from '../schema.js';
import type { Condition, FieldRef, Literal, SoqlQuery } from './ast.js';

export interface CompiledQuery {
  object: ObjectDef;
  count: boolean;
  filter: (r: SfRecord) => boolean;
  /** records in ORDER BY order (absent without ORDER BY: Id order) */
  sort?: (records: SfRecord[]) => SfRecord[];
  project: (r: SfRecord) => Record<string, unknown>;
  limit?: number;
  offset: number;
}

interface ResolvedField {
  def: FieldDef;
  /** reads the field's stored value (following one lookup for relationship paths) */
  get: (r: SfRecord) => unknown;
  relationship?: { name: string; via: FieldDef };
}

const TYPE_WORD: Record<string, string> = { int: 'integer', double: 'double', currency: 'double', percent: 'double', date: 'date', datetime: 'dateTime', boolean: 'boolean', id: 'id', reference: 'id' };
const STRINGY = new Set(['string', 'textarea', 'email', 'url', 'phone', 'picklist']);

export function recordUrl(version: string, r: SfRecord): string {
  return `/services/data/v${version}/sobjects/${r.type}/${r.id}`;
}

export function renderValue(def: FieldDef, value: unknown): unknown {
  if (value === undefined || value === null) return null;
  return def.type === 'datetime' ? formatDateTime(value as number) : value;
}

export function compileQuery(query: SoqlQuery, schema: Schema, lookup: RecordLookup, version: string): CompiledQuery {
  const fail = (pos: number, code: string, detail: string): never => {
    throw new SalesforceApiError(400, code, soqlErrorMessage(query.text, pos, detail));
  };
  const object = objectNamed(schema, query.object.name);
  if (!object)
    return fail(
      query.object.pos,
      'INVALID_TYPE',
      `sObject type '${query.object.name}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
    );

  const resolve = (ref: FieldRef): ResolvedField => {
    const noColumn = (name: string, on: string) =>
      fail(
        ref.pos,
        'INVALID_FIELD',
        `No such column '${name}' on entity '${on}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
      );
    if (ref.path.length === 1) {
      const def = object.fields.get(ref.path[0]!.toLowerCase()) ?? noColumn(ref.path[0]!, object.name);
      const name = def.name;
      return { def, get: (r) => r.values[name] };
    }
    const [relName, fieldName] = ref.path as [string, string];
    const via = [...object.fields.values()].find((f) => f.relationshipName?.toLowerCase() === relName.toLowerCase());
    if (!via || ref.path.length > 2)
      return fail(
        ref.pos,
        'INVALID_FIELD',
        `Didn't understand relationship '${relName}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
      );
    const targets = via.referenceTo.map((t) => schema.get(t)!);
    const def = targets.map((t) => t.fields.get(fieldName.toLowerCase())).find(Boolean) ?? noColumn(fieldName, targets[0]!.name);
    const viaName = via.name;
    const name = def.name;
    return {
      def,
      relationship: { name: via.relationshipName!, via },
      get: (r) => {
        const id = r.values[viaName] as string | null | undefined;
        return id ? (lookup(id)?.values[name] ?? null) : null;
      },
    };
  };

  const filter = query.where ? compileCondition(query.where, resolve, fail) : () => true;

  let sort: CompiledQuery['sort'];
  if (query.orderBy.length > 0) {
    const keys = query.orderBy.map((o) => ({ ...o, field: resolve(o.field) }));
    // decorate-sort-undecorate: each record's keys are computed once, not once per comparison
    sort = (records) => {
      const decorated = records.map((r) => ({ r, k: keys.map((key) => sortKey(key.field.get(r))) }));
      decorated.sort((a, b) => {
        for (let i = 0; i < keys.length; i++) {
          const va = a.k[i]!;
          const vb = b.k[i]!;
          if (va === vb) continue;
          const k = keys[i]!;
          if (va === null) return k.nullsLast ? 1 : -1;
          if (vb === null) return k.nullsLast ? -1 : 1;
          const c = va < vb ? -1 : 1;
          return k.descending ? -c : c;
        }
        return 0;
      });
      return decorated.map((d) => d.r);
    };
  }

  const project = query.count ? () => ({}) : compileProjection(query.fields.map(resolve), object, lookup, version);
  return { object, count: query.count, filter, sort, project, limit: query.limit, offset: query.offset ?? 0 };
}

function sortKey(v: unknown): string | number | boolean | null {
  if (v === undefined || v === null) return null;
  return typeof v === 'string' ? v.toLowerCase() : (v as number | boolean);
}

function compileProjection(fields: ResolvedField[], object: ObjectDef, lookup: RecordLookup, version: string) {
  const seen = new Set<string>();
  const direct: FieldDef[] = [];
  const related = new Map<string, { via: FieldDef; defs: FieldDef[] }>();
  for (const f of fields) {
    const key = `${f.relationship?.name ?? ''}.${f.def.name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (!f.relationship) direct.push(f.def);
    else {
      const group = related.get(f.relationship.name) ?? { via: f.relationship.via, defs: [] };
      group.defs.push(f.def);
      related.set(f.relationship.name, group);
    }
  }
  return (r: SfRecord): Record<string, unknown> => {
    const out: Record<string, unknown> = { attributes: { type: object.name, url: recordUrl(version, r) } };
    for (const def of direct) out[def.name] = renderValue(def, r.values[def.name]);
    for (const [relName, group] of related) {
      const target = r.values[group.via.name] ? lookup(r.values[group.via.name] as string) : undefined;
      if (!target) {
        out[relName] = null;
        continue;
      }
      const nested: Record<string, unknown> = { attributes: { type: target.type, url: recordUrl(version, target) } };
      for (const def of group.defs) nested[def.name] = renderValue(def, target.values[def.name]);
      out[relName] = nested;
    }
    return out;
  };
}

type Fail = (pos: number, code: string, detail: string) => never;

function compileCondition(c: Condition, resolve: (f: FieldRef) => ResolvedField, fail: Fail): (r: SfRecord) => boolean {
  switch (c.kind) {
    case 'and': {
      const parts = c.items.map((i) => compileCondition(i, resolve, fail));
      return (r) => parts.every((p) => p(r));
    }
    case 'or': {
      const parts = c.items.map((i) => compileCondition(i, resolve, fail));
      return (r) => parts.some((p) => p(r));
    }
    case 'not': {
      const inner = compileCondition(c.item, resolve, fail);
      return (r) => !inner(r);
    }
    case 'compare': {
      const f = resolve(c.field);
      const want = literalKey(f.def, c.value, fail);
      const op = c.op;
      return (r) => {
        const have = sortKey(f.get(r));
        if (want === null || have === null) {
          if (op === '=') return have === want;
          if (op === '!=') return have !== want;
          return false;
        }
        switch (op) {
          case '=':
            return have === want;
          case '!=':
            return have !== want;
          case '<':
            return have < want;
          case '<=':
            return have <= want;
          case '>':
            return have > want;
          case '>=':
            return have >= want;
        }
      };
    }
    case 'in': {
      const f = resolve(c.field);
      const wanted = new Set(c.values.map((v) => literalKey(f.def, v, fail)));
      return (r) => wanted.has(sortKey(f.get(r))) !== c.negate;
    }
    case 'like': {
      const f = resolve(c.field);
      if (!STRINGY.has(f.def.type) && f.def.type !== 'id' && f.def.type !== 'reference')
        fail(c.field.pos, 'INVALID_FIELD', `invalid operator on field '${f.def.name}'. LIKE may only be used on string fields`);
      if (c.pattern.kind !== 'string') fail(c.pattern.pos, 'MALFORMED_QUERY', 'LIKE requires a string literal');
      const regex = likeToRegex((c.pattern as { value: string }).value);
      return (r) => {
        const v = f.get(r);
        return typeof v === 'string' && regex.test(v);
      };
    }
  }
}

function likeToRegex(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '\\' && (pattern[i + 1] === '%' || pattern[i + 1] === '_')) {
      source += pattern[++i];
      continue;
    }
    source += ch === '%' ? '.*' : ch === '_' ? '.' : ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 'is');
}

/** The comparable form of a literal for one field, with Salesforce's type errors when they do not fit. */
function literalKey(def: FieldDef, lit: Literal, fail: Fail): string | number | boolean | null {
  if (lit.kind === 'null') return null;
  const wrongType = (): never =>
    fail(lit.pos, 'INVALID_FIELD', `value of filter criterion for field '${def.name}' must be of type ${TYPE_WORD[def.type] ?? 'string'} and should not be enclosed in quotes`);
  switch (def.type) {
    case 'id':
    case 'reference': {
      if (lit.kind !== 'string') return wrongType();
      const id = normalizeId(lit.value);
      if (!id) return fail(lit.pos, 'INVALID_QUERY_FILTER_OPERATOR', `invalid ID field: ${lit.value}`);
      return id.toLowerCase();
    }
    case 'boolean':
      return lit.kind === 'boolean' ? lit.value : wrongType();
    case 'int':
    case 'double':
    case 'currency':
    case 'percent':
      return lit.kind === 'number' ? lit.value : wrongType();
    case 'date':
      return lit.kind === 'date' ? lit.value : wrongType();
    case 'datetime':
      return lit.kind === 'datetime' ? lit.value : wrongType();
    default:
      return lit.kind === 'string' ? lit.value.toLowerCase() : wrongType();
  }
}
