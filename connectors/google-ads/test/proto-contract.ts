// Checks plain response objects against the Google Ads v24 protos that google-ads-node ships:
// every key a field of its message (or the name of a oneof), each value of the field's type,
// enum values among the enum's names, at most one member of a oneof set. grpc-js would drop an
// unknown field silently on the wire, so this is where the emulator's drift shows.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

// the little of protobufjs used here (it is @grpc/proto-loader's own dependency, not one of ours)
export interface PbEnum { fullName: string; values: Record<string, number>; valuesById: Record<number, string> }
export interface PbField { type: string; repeated: boolean; resolvedType: PbType | PbEnum | null }
export interface PbOneOf { name: string; oneof: string[] }
export interface PbType { name: string; fullName: string; fields: Record<string, PbField>; oneofsArray: PbOneOf[]; decode(bytes: Uint8Array): object; toObject(m: object, o: object): Record<string, unknown> }
export interface PbRoot { resolvePath: (origin: string, target: string) => string; loadSync(files: string[], options: object): PbRoot; resolveAll(): PbRoot; lookupType(name: string): PbType }

const require = createRequire(import.meta.url);
const protobuf = createRequire(require.resolve('@grpc/proto-loader'))('protobufjs') as { Root: new () => PbRoot };

export function loadAdsRoot(protoDirs: string[], files: string[]): PbRoot {
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => protoDirs.map((d) => join(d, target)).find((p) => existsSync(p)) ?? target;
  root.loadSync(files, { keepCase: true });
  root.resolveAll();
  return root;
}

const INT64 = new Set(['int64', 'uint64', 'sint64', 'fixed64', 'sfixed64']);
const NUMBER = new Set(['double', 'float', 'int32', 'uint32', 'sint32', 'fixed32', 'sfixed32']);

/** the contract violations of `value` as a `type` message, each with its path */
const nameOf = (t: { fullName: string }) => t.fullName.replace(/^\./, '');

export function violations(type: PbType, value: unknown, path = type.name): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [`${path}: a ${nameOf(type)} message expected, got ${JSON.stringify(value)?.slice(0, 60)}`];
  const out: string[] = [];
  const oneofNames = new Map(type.oneofsArray.map((o) => [o.name, o]));
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined || v === null) continue;
    const field = type.fields[key];
    if (!field) {
      const oneof = oneofNames.get(key);
      if (oneof && typeof v === 'string' && oneof.oneof.includes(v)) continue; // proto-loader's virtual oneof name
      out.push(`${path}.${key}: not a field of ${nameOf(type)}`);
      continue;
    }
    const values = field.repeated ? (Array.isArray(v) ? v : (out.push(`${path}.${key}: repeated, got a single value`), [])) : [v];
    values.forEach((item, i) => out.push(...fieldViolations(field, item, field.repeated ? `${path}.${key}[${i}]` : `${path}.${key}`)));
  }
  for (const oneof of type.oneofsArray) {
    const set = oneof.oneof.filter((name) => (value as Record<string, unknown>)[name] !== undefined && (value as Record<string, unknown>)[name] !== null);
    if (set.length > 1) out.push(`${path}: oneof ${oneof.name} has ${set.join(' and ')} set`);
  }
  return out;
}

function fieldViolations(field: PbField, v: unknown, path: string): string[] {
  const resolved = field.resolvedType;
  if (resolved && 'fields' in resolved) return violations(resolved as PbType, v, path);
  if (resolved) {
    const e = resolved as PbEnum;
    if (typeof v === 'string' ? e.values[v] !== undefined : typeof v === 'number' && e.valuesById[v] !== undefined) return [];
    return [`${path}: ${JSON.stringify(v)} is not a value of ${nameOf(e)}`];
  }
  const t = field.type;
  const ok =
    t === 'string' ? typeof v === 'string'
    : t === 'bool' ? typeof v === 'boolean'
    : t === 'bytes' ? v instanceof Uint8Array || typeof v === 'string'
    : INT64.has(t) ? (typeof v === 'number' && Number.isInteger(v)) || (typeof v === 'string' && /^-?\d+$/.test(v)) || (typeof v === 'object' && v !== null && 'low' in v)
    : NUMBER.has(t) ? typeof v === 'number' && Number.isFinite(v)
    : false;
  return ok ? [] : [`${path}: ${JSON.stringify(v)?.slice(0, 60)} is not a ${t}`];
}
