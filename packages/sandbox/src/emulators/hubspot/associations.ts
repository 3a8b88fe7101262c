// Association graph between records, both directions, with HubSpot's association type ids.
// A "primary" contact→company or deal→company pair carries two types (the labeled primary and
// the unlabeled one), which is why v3 reads list such a company twice.
import { singular, type ObjectType } from './object-types.js';

export interface AssociationType {
  category: 'HUBSPOT_DEFINED';
  typeId: number;
  label: string | null;
}

interface Edge {
  primary: boolean;
}

// typeIds from HubSpot's association type table (HUBSPOT_DEFINED)
const primaryTypeIds: Record<string, number> = {
  'contacts>companies': 1,
  'companies>contacts': 2,
  'deals>companies': 5,
  'companies>deals': 6,
};
const unlabeledTypeIds: Record<string, number> = {
  'contacts>companies': 279,
  'companies>contacts': 280,
  'deals>contacts': 3,
  'contacts>deals': 4,
  'deals>companies': 341,
  'companies>deals': 342,
  'tasks>contacts': 204,
  'contacts>tasks': 203,
  'tasks>companies': 192,
  'companies>tasks': 191,
  'tasks>deals': 216,
  'deals>tasks': 215,
};

export function isKnownAssociation(from: ObjectType, to: ObjectType): boolean {
  return `${from}>${to}` in unlabeledTypeIds;
}

/** Which pair a typeId names (for the create-with-associations body); undefined if unknown. */
export function typeIdAllowed(from: ObjectType, to: ObjectType, typeId: number): boolean {
  const key = `${from}>${to}`;
  return primaryTypeIds[key] === typeId || unlabeledTypeIds[key] === typeId;
}

export class AssociationGraph {
  // key `${type}:${id}` -> toType -> toId -> edge
  private readonly edges = new Map<string, Map<ObjectType, Map<string, Edge>>>();

  associate(fromType: ObjectType, fromId: string, toType: ObjectType, toId: string, primary = false): void {
    this.side(fromType, fromId, toType).set(toId, { primary });
    this.side(toType, toId, fromType).set(fromId, { primary });
  }

  dissociate(fromType: ObjectType, fromId: string, toType: ObjectType, toId: string): void {
    this.edges.get(`${fromType}:${fromId}`)?.get(toType)?.delete(toId);
    this.edges.get(`${toType}:${toId}`)?.get(fromType)?.delete(fromId);
  }

  /** Makes `toId` the only primary `toType` of this record (a contact has one primary company). */
  setPrimary(fromType: ObjectType, fromId: string, toType: ObjectType, toId: string): void {
    for (const [other, edge] of this.side(fromType, fromId, toType)) {
      if (edge.primary && other !== toId) this.associate(fromType, fromId, toType, other, false);
    }
    this.associate(fromType, fromId, toType, toId, true);
  }

  targets(fromType: ObjectType, fromId: string, toType: ObjectType): Array<{ id: string; primary: boolean }> {
    const m = this.edges.get(`${fromType}:${fromId}`)?.get(toType);
    if (!m) return [];
    return [...m].map(([id, e]) => ({ id, primary: e.primary })).sort((a, b) => Number(a.id) - Number(b.id));
  }

  /** Moves every association of `loserId` onto `winnerId` (contact merge). */
  moveAll(type: ObjectType, loserId: string, winnerId: string): void {
    const all = this.edges.get(`${type}:${loserId}`);
    if (!all) return;
    for (const [toType, targets] of all) {
      for (const [toId, edge] of [...targets]) {
        this.dissociate(type, loserId, toType, toId);
        const primaryTaken = this.targets(type, winnerId, toType).some((t) => t.primary);
        this.associate(type, winnerId, toType, toId, edge.primary && !primaryTaken);
      }
    }
  }

  /** v4 association types for one pair. */
  typesOf(fromType: ObjectType, toType: ObjectType, primary: boolean): AssociationType[] {
    const key = `${fromType}>${toType}`;
    const types: AssociationType[] = [];
    if (primary && primaryTypeIds[key] !== undefined) types.push({ category: 'HUBSPOT_DEFINED', typeId: primaryTypeIds[key]!, label: 'Primary' });
    if (unlabeledTypeIds[key] !== undefined) types.push({ category: 'HUBSPOT_DEFINED', typeId: unlabeledTypeIds[key]!, label: null });
    return types;
  }

  /** v3 `associations=` type names for one pair (contact_to_company, contact_to_company_unlabeled). */
  v3TypeNames(fromType: ObjectType, toType: ObjectType, primary: boolean): string[] {
    const base = `${singular[fromType]}_to_${singular[toType]}`;
    const key = `${fromType}>${toType}`;
    if (primaryTypeIds[key] === undefined) return [base];
    return primary ? [base, `${base}_unlabeled`] : [`${base}_unlabeled`];
  }

  private side(type: ObjectType, id: string, toType: ObjectType): Map<string, Edge> {
    const key = `${type}:${id}`;
    let byType = this.edges.get(key);
    if (!byType) this.edges.set(key, (byType = new Map()));
    let m = byType.get(toType);
    if (!m) byType.set(toType, (m = new Map()));
    return m;
  }
}
