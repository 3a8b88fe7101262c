// The sObjects this emulator serves and their fields (a small, faithful subset of the standard
// objects). Each emulator instance clones this so that custom `__c` fields stay per instance.
import { KEY_PREFIXES, type SObjectName } from './ids.js';

export type FieldType =
  | 'id'
  | 'string'
  | 'textarea'
  | 'email'
  | 'url'
  | 'phone'
  | 'picklist'
  | 'boolean'
  | 'int'
  | 'double'
  | 'currency'
  | 'percent'
  | 'date'
  | 'datetime'
  | 'reference';

export interface FieldDef {
  name: string;
  label: string;
  type: FieldType;
  custom: boolean;
  createable: boolean;
  updateable: boolean;
  nillable: boolean;
  /** required on create (Salesforce: nillable=false and no default) */
  required: boolean;
  length: number;
  referenceTo: SObjectName[];
  relationshipName: string | null;
  picklistValues: string[];
  defaultValue: unknown;
}

export interface ObjectDef {
  name: SObjectName;
  label: string;
  labelPlural: string;
  keyPrefix: string;
  fields: Map<string, FieldDef>; // key: lower-case field name (SOQL and JSON field names are case-insensitive)
}

type FieldSpec = Partial<FieldDef> & Pick<FieldDef, 'name' | 'type'>;

const STRING_LENGTH: Partial<Record<FieldType, number>> = { id: 18, reference: 18, string: 255, textarea: 32000, email: 80, url: 255, phone: 40, picklist: 255 };

function field(spec: FieldSpec): FieldDef {
  return {
    label: spec.name.replace(/Id$/, ' ID').replace(/([a-z])([A-Z])/g, '$1 $2'),
    custom: false,
    createable: true,
    updateable: true,
    nillable: !spec.required,
    required: false,
    length: STRING_LENGTH[spec.type] ?? 0,
    referenceTo: [],
    relationshipName: null,
    picklistValues: [],
    defaultValue: null,
    ...spec,
  };
}

const readOnly = { createable: false, updateable: false } as const;
const ref = (name: string, to: SObjectName[], relationshipName: string, extra: Partial<FieldDef> = {}) =>
  field({ name, type: 'reference', referenceTo: to, relationshipName, ...extra });

const SYSTEM_FIELDS: FieldSpec[] = [
  { name: 'Id', type: 'id', ...readOnly, nillable: false },
  { name: 'IsDeleted', type: 'boolean', ...readOnly, nillable: false },
  { name: 'CreatedDate', type: 'datetime', ...readOnly, nillable: false },
  { name: 'LastModifiedDate', type: 'datetime', ...readOnly, nillable: false },
  { name: 'SystemModstamp', type: 'datetime', ...readOnly, nillable: false },
];

export const OPPORTUNITY_STAGES = ['Prospecting', 'Qualification', 'Needs Analysis', 'Value Proposition', 'Proposal/Price Quote', 'Negotiation/Review', 'Closed Won', 'Closed Lost'];
export const LEAD_STATUSES = ['Open - Not Contacted', 'Working - Contacted', 'Closed - Converted', 'Closed - Not Converted'];

const OBJECT_FIELDS: Record<SObjectName, FieldDef[]> = {
  Account: [
    field({ name: 'Name', type: 'string', required: true }),
    field({ name: 'Industry', type: 'picklist', length: 255 }),
    field({ name: 'NumberOfEmployees', type: 'int' }),
    field({ name: 'Website', type: 'url' }),
    field({ name: 'BillingCountry', type: 'string', length: 80 }),
    ref('MasterRecordId', ['Account'], 'MasterRecord', readOnly),
  ],
  Contact: [
    field({ name: 'FirstName', type: 'string', length: 40 }),
    field({ name: 'LastName', type: 'string', length: 80, required: true }),
    field({ name: 'Name', type: 'string', length: 121, ...readOnly }),
    field({ name: 'Email', type: 'email' }),
    field({ name: 'Title', type: 'string', length: 128 }),
    ref('AccountId', ['Account'], 'Account'),
    ref('MasterRecordId', ['Contact'], 'MasterRecord', readOnly),
  ],
  Lead: [
    field({ name: 'FirstName', type: 'string', length: 40 }),
    field({ name: 'LastName', type: 'string', length: 80, required: true }),
    field({ name: 'Name', type: 'string', length: 121, ...readOnly }),
    field({ name: 'Email', type: 'email' }),
    field({ name: 'Title', type: 'string', length: 128 }),
    field({ name: 'Company', type: 'string', required: true }),
    field({ name: 'Status', type: 'picklist', picklistValues: LEAD_STATUSES, defaultValue: 'Open - Not Contacted' }),
    field({ name: 'IsConverted', type: 'boolean', ...readOnly, nillable: false, defaultValue: false }),
    ref('ConvertedContactId', ['Contact'], 'ConvertedContact', readOnly),
    ref('ConvertedAccountId', ['Account'], 'ConvertedAccount', readOnly),
    ref('MasterRecordId', ['Lead'], 'MasterRecord', readOnly),
  ],
  Opportunity: [
    field({ name: 'Name', type: 'string', length: 120, required: true }),
    ref('AccountId', ['Account'], 'Account'),
    ref('ContactId', ['Contact'], 'Contact'),
    field({ name: 'StageName', type: 'picklist', required: true, picklistValues: OPPORTUNITY_STAGES }),
    field({ name: 'Amount', type: 'currency' }),
    field({ name: 'CloseDate', type: 'date', required: true }),
    field({ name: 'IsWon', type: 'boolean', ...readOnly, nillable: false, defaultValue: false }),
    field({ name: 'IsClosed', type: 'boolean', ...readOnly, nillable: false, defaultValue: false }),
  ],
  Campaign: [
    field({ name: 'Name', type: 'string', length: 80, required: true }),
    field({ name: 'Status', type: 'picklist', picklistValues: ['Planned', 'In Progress', 'Completed', 'Aborted'], defaultValue: 'Planned' }),
    field({ name: 'Type', type: 'picklist', picklistValues: ['Email', 'Webinar', 'Advertisement', 'Other'] }),
    field({ name: 'IsActive', type: 'boolean', nillable: false, defaultValue: false }),
    field({ name: 'StartDate', type: 'date' }),
    field({ name: 'EndDate', type: 'date' }),
  ],
  CampaignMember: [
    ref('CampaignId', ['Campaign'], 'Campaign', { required: true, updateable: false }),
    ref('ContactId', ['Contact'], 'Contact', { updateable: false }),
    ref('LeadId', ['Lead'], 'Lead', { updateable: false }),
    field({ name: 'Status', type: 'picklist', picklistValues: ['Planned', 'Sent', 'Responded'], defaultValue: 'Sent' }),
    field({ name: 'HasResponded', type: 'boolean', ...readOnly, nillable: false, defaultValue: false }),
  ],
  Task: [
    field({ name: 'Subject', type: 'string' }),
    ref('WhoId', ['Contact', 'Lead'], 'Who'),
    ref('WhatId', ['Account', 'Opportunity', 'Campaign'], 'What'),
    field({ name: 'Status', type: 'picklist', picklistValues: ['Not Started', 'In Progress', 'Completed', 'Waiting on someone else', 'Deferred'], defaultValue: 'Not Started' }),
    field({ name: 'Priority', type: 'picklist', picklistValues: ['High', 'Normal', 'Low'], defaultValue: 'Normal' }),
    field({ name: 'ActivityDate', type: 'date' }),
    field({ name: 'Description', type: 'textarea' }),
  ],
};

const PLURAL: Partial<Record<SObjectName, string>> = { Opportunity: 'Opportunities' };

export type Schema = Map<SObjectName, ObjectDef>;

export function createSchema(): Schema {
  const schema: Schema = new Map();
  for (const name of Object.keys(OBJECT_FIELDS) as SObjectName[]) {
    const fields = new Map<string, FieldDef>();
    for (const f of [...SYSTEM_FIELDS.map(field), ...OBJECT_FIELDS[name]]) fields.set(f.name.toLowerCase(), { ...f });
    const label = name.replace(/([a-z])([A-Z])/g, '$1 $2');
    schema.set(name, { name, label, labelPlural: PLURAL[name] ?? `${label}s`, keyPrefix: KEY_PREFIXES[name], fields });
  }
  return schema;
}

/** Resolves an object name case-insensitively ("contact" → "Contact"). */
export function objectNamed(schema: Schema, name: string): ObjectDef | undefined {
  const lower = name.toLowerCase();
  for (const def of schema.values()) if (def.name.toLowerCase() === lower) return def;
  return undefined;
}

export const CUSTOM_FIELD_TYPES = ['string', 'textarea', 'email', 'url', 'picklist', 'boolean', 'int', 'double', 'currency', 'percent', 'date', 'datetime'] as const;
export type CustomFieldType = (typeof CUSTOM_FIELD_TYPES)[number];

export function customField(name: string, type: CustomFieldType, label?: string, picklistValues: string[] = []): FieldDef {
  return field({ name, type, label: label ?? name.replace(/__c$/, '').replace(/_/g, ' '), custom: true, picklistValues });
}
