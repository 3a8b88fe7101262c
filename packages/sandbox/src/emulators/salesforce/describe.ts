// The describe payloads (GET /sobjects and /sobjects/{Type}/describe), trimmed to the keys
// connectors read: field names, types, custom flags, references and picklist values.
import type { FieldDef, ObjectDef, Schema } from './schema.js';

function objectUrls(version: string, name: string) {
  const base = `/services/data/v${version}/sobjects/${name}`;
  return { sobject: base, describe: `${base}/describe`, rowTemplate: `${base}/{ID}` };
}

function objectSummary(o: ObjectDef, version: string) {
  return {
    name: o.name,
    label: o.label,
    labelPlural: o.labelPlural,
    keyPrefix: o.keyPrefix,
    custom: false,
    createable: true,
    updateable: true,
    deletable: true,
    queryable: true,
    replicateable: true,
    retrieveable: true,
    searchable: true,
    urls: objectUrls(version, o.name),
  };
}

function describeField(f: FieldDef) {
  return {
    name: f.name,
    label: f.label,
    type: f.type,
    length: f.length,
    custom: f.custom,
    nillable: f.nillable,
    createable: f.createable,
    updateable: f.updateable,
    filterable: f.type !== 'textarea',
    sortable: f.type !== 'textarea',
    defaultedOnCreate: f.defaultValue !== null || ['Id', 'IsDeleted', 'CreatedDate', 'LastModifiedDate', 'SystemModstamp'].includes(f.name),
    idLookup: f.name === 'Id' || f.type === 'email',
    referenceTo: f.referenceTo,
    relationshipName: f.relationshipName,
    picklistValues: f.picklistValues.map((value) => ({ active: true, defaultValue: f.defaultValue === value, label: value, validFor: null, value })),
    soapType: soapType(f),
  };
}

function soapType(f: FieldDef): string {
  switch (f.type) {
    case 'id':
    case 'reference':
      return 'tns:ID';
    case 'boolean':
      return 'xsd:boolean';
    case 'int':
      return 'xsd:int';
    case 'double':
    case 'currency':
    case 'percent':
      return 'xsd:double';
    case 'date':
      return 'xsd:date';
    case 'datetime':
      return 'xsd:dateTime';
    default:
      return 'xsd:string';
  }
}

export function describeGlobal(schema: Schema, version: string) {
  return { encoding: 'UTF-8', maxBatchSize: 200, sobjects: [...schema.values()].map((o) => objectSummary(o, version)) };
}

export function describeObject(o: ObjectDef, version: string) {
  return { ...objectSummary(o, version), fields: [...o.fields.values()].map(describeField), childRelationships: [], recordTypeInfos: [] };
}
