// CRM lists (v3): MANUAL lists whose memberships revloop adds to.
export interface HubSpotList {
  listId: string;
  name: string;
  objectTypeId: string;
  processingType: 'MANUAL' | 'SNAPSHOT' | 'DYNAMIC';
  createdAt: number;
  updatedAt: number;
  listVersion: number;
  members: Map<string, number>; // recordId -> membership timestamp
}

export function listToWire(l: HubSpotList) {
  return {
    listId: l.listId,
    listVersion: l.listVersion,
    name: l.name,
    objectTypeId: l.objectTypeId,
    processingType: l.processingType,
    processingStatus: 'COMPLETE',
    createdAt: new Date(l.createdAt).toISOString(),
    updatedAt: new Date(l.updatedAt).toISOString(),
    filtersUpdatedAt: new Date(l.createdAt).toISOString(),
    size: l.members.size,
  };
}

/** Lists named revloop-email… enrol their members in a marketing email; the rest is the topic. */
export function emailTopicOfList(name: string): string | undefined | false {
  if (!name.startsWith('revloop-email')) return false;
  const rest = name.slice('revloop-email'.length).replace(/^[-:_/\s]+/, '');
  return rest || undefined;
}
