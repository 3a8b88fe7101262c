// HubSpot's error bodies ({status:"error", message, correlationId, category, ...}).
import { seededRandom } from '../faults.js';

export type HubSpotCategory =
  | 'VALIDATION_ERROR'
  | 'OBJECT_NOT_FOUND'
  | 'INVALID_AUTHENTICATION'
  | 'EXPIRED_AUTHENTICATION'
  | 'CONFLICT'
  | 'OBJECT_ALREADY_EXISTS'
  | 'RATE_LIMITS';

export interface HubSpotErrorBody {
  status: 'error';
  message: string;
  correlationId: string;
  category?: string;
  [extra: string]: unknown;
}

/** Deterministic uuid-shaped correlation ids (seeded, so runs are reproducible). */
export function correlationIds(seed: number): () => string {
  const random = seededRandom(seed ^ 0x5eed);
  const hex = (n: number) =>
    Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join('');
  return () => `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
}

/** An error thrown by a handler; the app turns it into the HubSpot body and status. */
export class HubSpotHttpError extends Error {
  constructor(
    readonly status: number,
    readonly category: HubSpotCategory | undefined,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export const notFound = (message = 'resource not found') =>
  new HubSpotHttpError(404, 'OBJECT_NOT_FOUND', message);

export const validation = (message: string, extra: Record<string, unknown> = {}) =>
  new HubSpotHttpError(400, 'VALIDATION_ERROR', message, extra);

/** One invalid property value, in the shape HubSpot embeds (JSON-encoded) in the message. */
export interface PropertyValueError {
  isValid: false;
  message: string;
  error: 'PROPERTY_DOESNT_EXIST' | 'READ_ONLY_VALUE' | 'INVALID_OPTION' | 'INVALID_EMAIL' | 'INVALID_INTEGER' | 'INVALID_DATE';
  name: string;
  localizedErrorMessage: string;
}

export function propertyValuesError(errors: PropertyValueError[]): HubSpotHttpError {
  return validation(`Property values were not valid: ${JSON.stringify(errors)}`);
}
