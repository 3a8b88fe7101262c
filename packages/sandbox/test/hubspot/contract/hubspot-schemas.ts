// Response schemas of three HubSpot endpoints, restated (names, types, required) from HubSpot's own
// OpenAPI specs. Source: github.com/HubSpot/HubSpot-public-api-spec-collection at commit
// 99893791383254f52aa07662baeb98aad65cc710 (2026-08-21):
//   - PublicApiSpecs/Events/Events/Rollouts/147897/v3/events.json
//       GET /events/v3/events → 200 CollectionResponseExternalUnifiedEvent, default → Error
//   - PublicApiSpecs/CRM/Associations/Rollouts/130902/v4/associations.json
//       POST /crm/v4/associations/{from}/{to}/batch/read → 200 BatchResponsePublicAssociationMultiWithLabel,
//       207 …WithErrors (StandardError items), default → Error
// Those files are HubSpot's and not licensed for reuse, so they are not copied here: the facts are
// restated by hand, and the test checks the restatement's property names against the installed
// @hubspot/api-client's codegen models (generated from the same specs) so that it cannot drift.
// The legacy email events API (/email/public/v1/events) has no spec in that collection.
//
// Deliberate divergences (the wire differs from the spec; the emulator follows the wire):
//   - MultiAssociatedObjectWithLabel.toObjectId is `string` in the spec but a JSON number in
//     HubSpot's documented v4 responses (and in the emulator): accepted as either.
//   - StandardError.subCategory is `object` in the spec but a string (e.g.
//     crm.associations.NO_ASSOCIATIONS_FOUND) in HubSpot's answers: accepted as either.
import type { Schema } from './mini-schema.js';

const str: Schema = { type: 'string' };
const stringArrayMap: Schema = { type: 'object', additionalProperties: { type: 'array', items: str } };

const nextPage: Schema = { type: 'object', required: ['after'], properties: { after: str, link: str } };
const previousPage: Schema = { type: 'object', required: ['before'], properties: { before: str, link: str } };
const paging: Schema = { type: 'object', properties: { next: nextPage, prev: previousPage } };

const errorDetail: Schema = { type: 'object', required: ['message'], properties: { code: str, context: stringArrayMap, in: str, message: str, subCategory: str } };

export const error: Schema = {
  type: 'object',
  required: ['category', 'correlationId', 'message'],
  properties: {
    // `status: "error"` is on every HubSpot error body but not declared in the spec's Error
    status: { type: 'string', enum: ['error'] },
    category: str,
    context: stringArrayMap,
    correlationId: { type: 'string', format: 'uuid' },
    errors: { type: 'array', items: errorDetail },
    links: { type: 'object', additionalProperties: str },
    message: str,
    subCategory: str,
  },
};

const externalUnifiedEvent: Schema = {
  type: 'object',
  required: ['eventType', 'id', 'objectId', 'objectType', 'occurredAt', 'properties'],
  properties: { eventType: str, id: str, objectId: str, objectType: str, occurredAt: { type: 'string', format: 'date-time' }, properties: { type: 'object', additionalProperties: str } },
};

export const collectionResponseExternalUnifiedEvent: Schema = {
  type: 'object',
  required: ['results'],
  properties: { paging, results: { type: 'array', items: externalUnifiedEvent } },
};

const associationSpecWithLabel: Schema = {
  type: 'object',
  required: ['category', 'typeId'],
  properties: {
    category: { type: 'string', enum: ['HUBSPOT_DEFINED', 'INTEGRATOR_DEFINED', 'USER_DEFINED', 'WORK'] },
    fromObjectTypeId: str,
    // nullable on the wire: an unlabelled association has label null
    label: { anyOf: [str, { type: 'null' }] },
    toObjectTypeId: str,
    typeId: { type: 'integer', format: 'int32' },
  },
};

const multiAssociatedObjectWithLabel: Schema = {
  type: 'object',
  required: ['associationTypes', 'toObjectId'],
  properties: { associationTypes: { type: 'array', items: associationSpecWithLabel }, toObjectId: { anyOf: [str, { type: 'integer', format: 'int64' }] } },
};

const publicAssociationMultiWithLabel: Schema = {
  type: 'object',
  required: ['from', 'to'],
  properties: { from: { type: 'object', required: ['id'], properties: { id: str } }, paging, to: { type: 'array', items: multiAssociatedObjectWithLabel } },
};

const batchStatus: Schema = { type: 'string', enum: ['CANCELED', 'COMPLETE', 'PENDING', 'PROCESSING'] };
const dateTime: Schema = { type: 'string', format: 'date-time' };

export const batchResponsePublicAssociationMultiWithLabel: Schema = {
  type: 'object',
  required: ['completedAt', 'results', 'startedAt', 'status'],
  properties: { completedAt: dateTime, links: { type: 'object', additionalProperties: str }, requestedAt: dateTime, results: { type: 'array', items: publicAssociationMultiWithLabel }, startedAt: dateTime, status: batchStatus },
};

const standardError: Schema = {
  type: 'object',
  required: ['category', 'context', 'errors', 'links', 'message', 'status'],
  properties: {
    category: str,
    context: stringArrayMap,
    errors: { type: 'array', items: errorDetail },
    id: str,
    links: { type: 'object', additionalProperties: str },
    message: str,
    status: str,
    subCategory: { anyOf: [str, { type: 'object' }] },
  },
};

export const batchResponsePublicAssociationMultiWithLabelWithErrors: Schema = {
  type: 'object',
  required: ['completedAt', 'results', 'startedAt', 'status'],
  properties: {
    completedAt: dateTime,
    errors: { type: 'array', items: standardError },
    links: { type: 'object', additionalProperties: str },
    numErrors: { type: 'integer', format: 'int32' },
    requestedAt: dateTime,
    results: { type: 'array', items: publicAssociationMultiWithLabel },
    startedAt: dateTime,
    status: batchStatus,
  },
};

/** the restated objects by the spec's (and the SDK's codegen) model names, for the drift check */
export const models: Record<string, Schema> = {
  'events:CollectionResponseExternalUnifiedEvent': collectionResponseExternalUnifiedEvent,
  'events:ExternalUnifiedEvent': externalUnifiedEvent,
  'events:Paging': paging,
  'events:NextPage': nextPage,
  'events:ErrorDetail': errorDetail,
  'associations:BatchResponsePublicAssociationMultiWithLabel': batchResponsePublicAssociationMultiWithLabel,
  'associations:BatchResponsePublicAssociationMultiWithLabelWithErrors': batchResponsePublicAssociationMultiWithLabelWithErrors,
  'associations:PublicAssociationMultiWithLabel': publicAssociationMultiWithLabel,
  'associations:MultiAssociatedObjectWithLabel': multiAssociatedObjectWithLabel,
  'associations:AssociationSpecWithLabel': associationSpecWithLabel,
  'associations:StandardError': standardError,
};
