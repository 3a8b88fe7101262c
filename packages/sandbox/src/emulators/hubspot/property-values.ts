// Validates and normalizes property writes the way HubSpot does (strings on the wire; unknown,
// read-only and off-list values are rejected with PROPERTY_DOESNT_EXIST / READ_ONLY_VALUE / …).
import type { PropertyValueError } from './errors.js';
import type { PropertyCatalog } from './property-catalog.js';
import type { ObjectType } from './object-types.js';

export type WriteValue = string | number | boolean | null;

const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function err(name: string, error: PropertyValueError['error'], message: string): PropertyValueError {
  return { isValid: false, message, error, name, localizedErrorMessage: message };
}

/** Parses epoch-ms strings and ISO dates; NaN when neither. */
export function toEpochMs(value: string): number {
  if (/^-?\d+$/.test(value)) return Number(value);
  return Date.parse(value);
}

export function normalizeWrite(
  catalog: PropertyCatalog,
  type: ObjectType,
  input: Record<string, WriteValue>,
): { values: Record<string, string | null>; errors: PropertyValueError[] } {
  const values: Record<string, string | null> = {};
  const errors: PropertyValueError[] = [];
  for (const [name, raw] of Object.entries(input)) {
    const def = catalog.get(type, name);
    if (!def) {
      errors.push(err(name, 'PROPERTY_DOESNT_EXIST', `Property "${name}" does not exist`));
      continue;
    }
    if (def.readOnlyValue) {
      errors.push(err(name, 'READ_ONLY_VALUE', `${name} is a read only property; its value cannot be set.`));
      continue;
    }
    if (raw === null || raw === '') {
      values[name] = null;
      continue;
    }
    const value = String(raw);
    if (def.type === 'enumeration' && def.options.length > 0) {
      const allowed = def.options.map((o) => o.value);
      const chosen = def.fieldType === 'checkbox' ? value.split(';') : [value];
      const bad = chosen.find((v) => !allowed.includes(v));
      if (bad !== undefined) {
        errors.push(err(name, 'INVALID_OPTION', `${bad} was not one of the allowed options: [${allowed.map((a) => `label: "${a}"\nvalue: "${a}"`).join(', ')}]`));
        continue;
      }
    }
    if (def.type === 'number' && !Number.isFinite(Number(value))) {
      errors.push(err(name, 'INVALID_INTEGER', `${value} was not a valid number.`));
      continue;
    }
    if (def.type === 'datetime' || def.type === 'date') {
      const ms = toEpochMs(value);
      if (Number.isNaN(ms)) {
        errors.push(err(name, 'INVALID_DATE', `${value} was not a valid long. Dates must be epoch milliseconds or ISO 8601.`));
        continue;
      }
      values[name] = new Date(ms).toISOString();
      continue;
    }
    if (name === 'email' && !emailPattern.test(value)) {
      errors.push(err(name, 'INVALID_EMAIL', `Email address ${value} is invalid`));
      continue;
    }
    values[name] = value;
  }
  return { values, errors };
}
