import { createHash } from 'node:crypto';
import { entityDefinitions, type EntityType } from './entities.js';

const plainId = /^[A-Za-z0-9._:-]{1,64}$/;

/**
 * The unified id of a record first seen in `system` under `systemId`. Deterministic, so that a
 * re-run or a resumed sync after a crash produces exactly the same rows as an uninterrupted one.
 * Plain vendor ids are kept readable (and keep the vendor's order, so index inserts stay mostly
 * sequential); anything else (emails, long or odd ids) is hashed.
 */
export function entityIdFor(entityType: EntityType, system: string, systemId: string): string {
  const prefix = entityDefinitions[entityType].idPrefix;
  if (plainId.test(systemId) && plainId.test(system)) return `${prefix}_${system}_${systemId}`;
  const digest = createHash('sha1').update(system).update('\0').update(systemId).digest('base64url');
  return `${prefix}_${system.slice(0, 24)}_h${digest.slice(0, 22)}`;
}
