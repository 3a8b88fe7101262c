// The Properties API's definitions: HubSpot-defined ones per type plus custom ones created via POST.
import { z } from 'zod';
import type { ObjectType } from './object-types.js';

export type PropertyType = 'string' | 'number' | 'date' | 'datetime' | 'enumeration' | 'bool';

export interface PropertyOption {
  label: string;
  value: string;
  displayOrder: number;
  hidden: boolean;
}

export interface PropertyDefinition {
  name: string;
  label: string;
  type: PropertyType;
  fieldType: string;
  groupName: string;
  description: string;
  options: PropertyOption[];
  hubspotDefined: boolean;
  hasUniqueValue: boolean;
  readOnlyValue: boolean;
  displayOrder: number;
  createdAt: number;
  updatedAt: number;
}

export const propertyCreateSchema = z.object({
  name: z.string().regex(/^[a-z][a-z0-9_]*$/, 'property names are lowercase letters, digits and _'),
  label: z.string().min(1),
  type: z.enum(['string', 'number', 'date', 'datetime', 'enumeration', 'bool']),
  fieldType: z.string().min(1),
  groupName: z.string().min(1),
  description: z.string().optional(),
  hasUniqueValue: z.boolean().optional(),
  displayOrder: z.number().int().optional(),
  options: z
    .array(z.object({ label: z.string(), value: z.string(), displayOrder: z.number().int().optional(), hidden: z.boolean().optional() }))
    .optional(),
});
export type PropertyCreate = z.infer<typeof propertyCreateSchema>;

type Seed = [name: string, type: PropertyType, fieldType: string, group: string, extra?: Partial<PropertyDefinition>];

const opts = (...values: string[]): PropertyOption[] =>
  values.map((v, i) => ({ label: v, value: v, displayOrder: i, hidden: false }));

const readOnly = { readOnlyValue: true };

export const lifecycleStages = ['subscriber', 'lead', 'marketingqualifiedlead', 'salesqualifiedlead', 'opportunity', 'customer', 'evangelist', 'other'];
export const dealStages = ['appointmentscheduled', 'qualifiedtobuy', 'presentationscheduled', 'decisionmakerboughtin', 'contractsent', 'closedwon', 'closedlost'];
export const personaValues = ['persona_1', 'persona_2', 'persona_3', 'persona_4'];

const common: Seed[] = [['hs_object_id', 'number', 'number', 'objectinformation', readOnly]];

const seeds: Record<ObjectType, Seed[]> = {
  contacts: [
    ...common,
    ['createdate', 'datetime', 'date', 'contactinformation', readOnly],
    ['lastmodifieddate', 'datetime', 'date', 'contactinformation', readOnly],
    ['email', 'string', 'text', 'contactinformation', { hasUniqueValue: true }],
    ['firstname', 'string', 'text', 'contactinformation'],
    ['lastname', 'string', 'text', 'contactinformation'],
    ['jobtitle', 'string', 'text', 'contactinformation'],
    ['company', 'string', 'text', 'contactinformation'],
    ['lifecyclestage', 'enumeration', 'radio', 'contactinformation', { options: opts(...lifecycleStages) }],
    ['associatedcompanyid', 'number', 'number', 'contactinformation', readOnly],
    ['hs_persona', 'enumeration', 'select', 'contactinformation', { options: opts(...personaValues) }],
    ['hs_merged_object_ids', 'enumeration', 'checkbox', 'contactinformation', readOnly],
    ['hs_analytics_last_timestamp', 'datetime', 'date', 'analyticsinformation', readOnly],
  ],
  companies: [
    ...common,
    ['createdate', 'datetime', 'date', 'companyinformation', readOnly],
    ['hs_lastmodifieddate', 'datetime', 'date', 'companyinformation', readOnly],
    ['name', 'string', 'text', 'companyinformation'],
    ['domain', 'string', 'text', 'companyinformation'],
    // a company's other domains, semicolon-separated (the sandbox's identity noise fills it)
    ['hs_additional_domains', 'string', 'text', 'companyinformation'],
    ['industry', 'string', 'text', 'companyinformation'],
    ['numberofemployees', 'number', 'number', 'companyinformation'],
    ['country', 'string', 'text', 'companyinformation'],
    ['lifecyclestage', 'enumeration', 'radio', 'companyinformation', { options: opts(...lifecycleStages) }],
    ['hs_analytics_last_timestamp', 'datetime', 'date', 'analyticsinformation', readOnly],
  ],
  deals: [
    ...common,
    ['createdate', 'datetime', 'date', 'dealinformation', readOnly],
    ['hs_lastmodifieddate', 'datetime', 'date', 'dealinformation', readOnly],
    ['dealname', 'string', 'text', 'dealinformation'],
    ['amount', 'number', 'number', 'dealinformation'],
    ['dealstage', 'enumeration', 'radio', 'dealinformation', { options: opts(...dealStages) }],
    ['pipeline', 'enumeration', 'select', 'dealinformation', { options: opts('default') }],
    ['closedate', 'datetime', 'date', 'dealinformation'],
    ['hs_is_closed', 'bool', 'booleancheckbox', 'dealinformation', readOnly],
    ['hs_is_closed_won', 'bool', 'booleancheckbox', 'dealinformation', readOnly],
  ],
  tasks: [
    ...common,
    ['hs_createdate', 'datetime', 'date', 'task', readOnly],
    ['hs_lastmodifieddate', 'datetime', 'date', 'task', readOnly],
    ['hs_timestamp', 'datetime', 'date', 'task'],
    ['hs_task_subject', 'string', 'text', 'task'],
    ['hs_task_body', 'string', 'textarea', 'task'],
    ['hs_task_status', 'enumeration', 'select', 'task', { options: opts('NOT_STARTED', 'IN_PROGRESS', 'WAITING', 'COMPLETED', 'DEFERRED') }],
    ['hs_task_priority', 'enumeration', 'select', 'task', { options: opts('LOW', 'MEDIUM', 'HIGH', 'NONE') }],
    ['hs_task_type', 'enumeration', 'select', 'task', { options: opts('EMAIL', 'CALL', 'TODO', 'LINKED_IN') }],
    ['hubspot_owner_id', 'string', 'text', 'task'],
    ['revloop_topic', 'string', 'text', 'revloop', { hubspotDefined: false }],
  ],
};

/** Custom contact properties revloop writes to enrol a contact in an email; see README. */
export const revloopContactProperties: Seed[] = [
  ['revloop_next_action', 'enumeration', 'select', 'revloop', { hubspotDefined: false, options: opts('email', 'none') }],
  ['revloop_topic', 'string', 'text', 'revloop', { hubspotDefined: false }],
  ['revloop_variant', 'string', 'text', 'revloop', { hubspotDefined: false }],
  ['revloop_send_hour', 'number', 'number', 'revloop', { hubspotDefined: false }],
];

function definition(seed: Seed, order: number, at: number): PropertyDefinition {
  const [name, type, fieldType, groupName, extra = {}] = seed;
  return {
    name,
    label: name,
    type,
    fieldType,
    groupName,
    description: '',
    options: [],
    hubspotDefined: true,
    hasUniqueValue: false,
    readOnlyValue: false,
    displayOrder: order,
    createdAt: at,
    updatedAt: at,
    ...extra,
  };
}

export class PropertyCatalog {
  private readonly byType = new Map<ObjectType, Map<string, PropertyDefinition>>();

  constructor(at: number, withRevloopProperties: boolean) {
    for (const type of Object.keys(seeds) as ObjectType[]) {
      const list = [...seeds[type], ...(type === 'contacts' && withRevloopProperties ? revloopContactProperties : [])];
      this.byType.set(type, new Map(list.map((s, i) => [s[0], definition(s, i, at)])));
    }
  }

  all(type: ObjectType): PropertyDefinition[] {
    return [...this.map(type).values()];
  }

  get(type: ObjectType, name: string): PropertyDefinition | undefined {
    return this.map(type).get(name);
  }

  /** Returns undefined when the name is taken (HubSpot answers 409). */
  create(type: ObjectType, input: PropertyCreate, at: number): PropertyDefinition | undefined {
    const map = this.map(type);
    if (map.has(input.name)) return undefined;
    const def: PropertyDefinition = {
      name: input.name,
      label: input.label,
      type: input.type,
      fieldType: input.fieldType,
      groupName: input.groupName,
      description: input.description ?? '',
      options: (input.options ?? []).map((o, i) => ({ label: o.label, value: o.value, displayOrder: o.displayOrder ?? i, hidden: o.hidden ?? false })),
      hubspotDefined: false,
      hasUniqueValue: input.hasUniqueValue ?? false,
      readOnlyValue: false,
      displayOrder: input.displayOrder ?? -1,
      createdAt: at,
      updatedAt: at,
    };
    map.set(def.name, def);
    return def;
  }

  private map(type: ObjectType): Map<string, PropertyDefinition> {
    return this.byType.get(type)!;
  }
}

/** The wire shape of a property (GET /crm/v3/properties/{type}). */
export function propertyToWire(def: PropertyDefinition) {
  return {
    updatedAt: new Date(def.updatedAt).toISOString(),
    createdAt: new Date(def.createdAt).toISOString(),
    name: def.name,
    label: def.label,
    type: def.type,
    fieldType: def.fieldType,
    description: def.description,
    groupName: def.groupName,
    options: def.options,
    displayOrder: def.displayOrder,
    calculated: false,
    externalOptions: false,
    hasUniqueValue: def.hasUniqueValue,
    hidden: false,
    hubspotDefined: def.hubspotDefined,
    modificationMetadata: { archivable: !def.hubspotDefined, readOnlyDefinition: def.hubspotDefined, readOnlyValue: def.readOnlyValue },
    formField: !def.readOnlyValue,
  };
}
