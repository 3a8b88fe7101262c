// Typed custom fields: a connector (customFields in its definition) or the config declares the
// custom properties of accounts and contacts that steps may read, with a type. Their values come
// from the rows' attributes (the resolved account's merged attributes), coerced to the type; a
// workflow's action input reads them as {{account.custom.<name>}} / {{contact.custom.<name>}}.
import { z } from 'zod';
import { RevloopError } from '../errors.js';
import type { RevloopConfig } from '../config/schema.js';
import type { Registry } from '../registry.js';

export const customFieldTypes = ['string', 'number', 'boolean', 'date'] as const;
export type CustomFieldType = (typeof customFieldTypes)[number];
export type CustomValue = string | number | boolean | null;

export const customFieldNameSchema = z.string().regex(/^[a-z][a-z0-9_]*$/, 'lower-case letters, digits and underscores, e.g. annual_revenue');
export const customFieldSchema = z
  .object({
    type: z.enum(customFieldTypes),
    /** the key in the rows' attributes (default: the field's name) */
    attribute: z.string().min(1).optional(),
    description: z.string().optional(),
  })
  .strict();
export type CustomFieldDeclaration = z.output<typeof customFieldSchema>;

export const customFieldsSchema = z
  .object({
    account: z.record(customFieldNameSchema, customFieldSchema).default({}),
    contact: z.record(customFieldNameSchema, customFieldSchema).default({}),
  })
  .strict();
export type CustomFieldsDeclaration = { account?: Record<string, CustomFieldDeclaration>; contact?: Record<string, CustomFieldDeclaration> };

export interface RegisteredCustomField {
  entity: 'account' | 'contact';
  name: string;
  type: CustomFieldType;
  attribute: string;
  from: string;
}

export interface CustomFieldRegistry {
  account: RegisteredCustomField[];
  contact: RegisteredCustomField[];
}

/** the config's and the enabled connectors' declarations; one name with two types is refused */
export function customFieldRegistry(config: Pick<RevloopConfig, 'customFields'>, registry?: Pick<Registry, 'connectors'>): CustomFieldRegistry {
  const out: CustomFieldRegistry = { account: [], contact: [] };
  const add = (entity: 'account' | 'contact', name: string, d: CustomFieldDeclaration, from: string, where: string) => {
    const prev = out[entity].find((f) => f.name === name);
    if (prev && prev.type !== d.type)
      throw new RevloopError('CUSTOM_FIELD_CONFLICT', `custom field ${entity}.${name} is declared as ${prev.type} by ${prev.from} and as ${d.type} by ${from}`, { where, fix: `give ${entity}.${name} one type everywhere, or rename one of them`, kind: 'bad_input' });
    if (!prev) out[entity].push({ entity, name, type: d.type, attribute: d.attribute ?? name, from });
  };
  for (const c of registry?.connectors.values() ?? []) {
    if (!c.enabled) continue;
    for (const entity of ['account', 'contact'] as const) for (const [name, d] of Object.entries(c.definition.customFields?.[entity] ?? {})) add(entity, name, d, `connector ${c.name}`, `connector ${c.name} (its customFields.${entity}.${name})`);
  }
  for (const entity of ['account', 'contact'] as const) for (const [name, d] of Object.entries(config.customFields?.[entity] ?? {})) add(entity, name, d, 'config', `customFields.${entity}.${name}`);
  return out;
}

function coerce(value: unknown, type: CustomFieldType): CustomValue {
  if (value === null || value === undefined || value === '') return null;
  switch (type) {
    case 'string':
      return typeof value === 'object' ? JSON.stringify(value) : String(value);
    case 'number': {
      const n = typeof value === 'number' ? value : Number(String(value).replace(/[, ]/g, ''));
      return Number.isFinite(n) ? n : null;
    }
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (/^(true|yes|1)$/i.test(String(value))) return true;
      if (/^(false|no|0)$/i.test(String(value))) return false;
      return null;
    case 'date': {
      const t = typeof value === 'number' ? value : Date.parse(String(value));
      return Number.isFinite(t) ? new Date(t).toISOString().slice(0, 10) : null;
    }
  }
}

/** the declared fields' values from a row's attributes (JSON text), each coerced to its type (null when absent or not of it) */
export function readCustomFields(attributes: string | null | undefined, fields: readonly RegisteredCustomField[]): Record<string, CustomValue> | undefined {
  if (!fields.length) return undefined;
  let parsed: Record<string, unknown> = {};
  if (attributes) {
    try {
      parsed = JSON.parse(attributes) as Record<string, unknown>;
    } catch {
      parsed = {};
    }
  }
  return Object.fromEntries(fields.map((f) => [f.name, coerce(parsed[f.attribute], f.type)]));
}
