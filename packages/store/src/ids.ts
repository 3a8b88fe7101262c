import { createHash } from 'node:crypto';
import { entityDefinitions, type EntityType } from './entities.js';

/**
 * The unified id of a record first seen in `system` under `systemId`. Deterministic, so that a
 * re-run or a resumed sync after a crash produces exactly the same rows as an uninterrupted one.
 */
export function entityIdFor(entityType: EntityType, system: string, systemId: string): string {
  const digest = createHash('sha1').update(system).update('\0').update(systemId).digest('base64url');
  return `${entityDefinitions[entityType].idPrefix}_${digest.slice(0, 22)}`;
}
