// The CRM object types this emulator serves, their path names / objectTypeIds, and their
// default properties (returned when a read names none).
export type ObjectType = 'contacts' | 'companies' | 'deals' | 'tasks';

export const objectTypeIds: Record<ObjectType, string> = {
  contacts: '0-1',
  companies: '0-2',
  deals: '0-3',
  tasks: '0-27',
};

const aliases: Record<string, ObjectType> = {
  contacts: 'contacts',
  contact: 'contacts',
  '0-1': 'contacts',
  companies: 'companies',
  company: 'companies',
  '0-2': 'companies',
  deals: 'deals',
  deal: 'deals',
  '0-3': 'deals',
  tasks: 'tasks',
  task: 'tasks',
  '0-27': 'tasks',
};

export function parseObjectType(name: string): ObjectType | undefined {
  return aliases[name.toLowerCase()];
}

/** Singular name used in association type labels (contact_to_company) and error messages. */
export const singular: Record<ObjectType, string> = {
  contacts: 'contact',
  companies: 'company',
  deals: 'deal',
  tasks: 'task',
};

/** The "last modified" property differs by type: contacts use lastmodifieddate. */
export function lastModifiedProperty(type: ObjectType): string {
  return type === 'contacts' ? 'lastmodifieddate' : 'hs_lastmodifieddate';
}

export function createdProperty(type: ObjectType): string {
  return type === 'tasks' ? 'hs_createdate' : 'createdate';
}

export const defaultProperties: Record<ObjectType, string[]> = {
  contacts: ['createdate', 'email', 'firstname', 'hs_object_id', 'lastmodifieddate', 'lastname'],
  companies: ['createdate', 'domain', 'hs_lastmodifieddate', 'hs_object_id', 'name'],
  deals: ['amount', 'closedate', 'createdate', 'dealname', 'dealstage', 'hs_lastmodifieddate', 'hs_object_id', 'pipeline'],
  tasks: ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'],
};

/** Base of each type's numeric id space: market-derived ids are base + n, API-created ones start at base + apiOffset. */
export const idBase: Record<ObjectType, number> = {
  contacts: 100_000_000,
  companies: 200_000_000,
  deals: 300_000_000,
  tasks: 400_000_000,
};
export const apiCreatedOffset = 50_000_000;
