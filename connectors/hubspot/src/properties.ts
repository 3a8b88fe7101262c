// Properties discovered from the properties API at the start of every sync (and before writes):
// a custom property created in HubSpot is read (and kept in attributes) from the next run on,
// without a restart.
import { z } from 'zod';
import type { HubSpotApi } from './client.js';

const propertySchema = z.looseObject({
  name: z.string(),
  type: z.string().optional(),
  hubspotDefined: z.boolean().optional(),
  options: z.array(z.looseObject({ label: z.string(), value: z.string() })).optional(),
  modificationMetadata: z.looseObject({ readOnlyValue: z.boolean().optional() }).optional(),
});
export type HubSpotProperty = z.infer<typeof propertySchema>;

export interface PropertyCatalog {
  all: Map<string, HubSpotProperty>;
  custom: string[];
}

export async function discoverProperties(api: HubSpotApi, objectType: string): Promise<PropertyCatalog> {
  const res = z.looseObject({ results: z.array(propertySchema) }).parse(await api.call(`properties of ${objectType}`, (sdk) => sdk.crm.properties.coreApi.getAll(objectType)));
  const all = new Map(res.results.map((p) => [p.name, p]));
  const custom = res.results.filter((p) => p.hubspotDefined === false).map((p) => p.name).sort();
  return { all, custom };
}

/** the properties a read asks for: the stream's standard ones that exist in this portal, plus every custom one */
export function readProperties(catalog: PropertyCatalog, standard: readonly string[]): string[] {
  return [...new Set([...standard.filter((p) => catalog.all.has(p)), ...catalog.custom])].sort();
}
