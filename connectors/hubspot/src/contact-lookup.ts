// Signals name a contact by id (web events) or only by email (email events): one batch read per
// page finds the contact id and its primary company, so that signals link to both.
import type { HubSpotApi } from './client.js';

export interface ContactRef {
  id: string;
  companyId: string | null;
}

/** contacts by id or by email (idProperty); batch results come back unordered: keyed by value */
export async function lookupContacts(api: HubSpotApi, by: 'id' | 'email', values: string[]): Promise<Map<string, ContactRef>> {
  const out = new Map<string, ContactRef>();
  const unique = [...new Set(values.filter(Boolean).map((v) => (by === 'email' ? v.toLowerCase() : v)))];
  for (let i = 0; i < unique.length; i += 100) {
    const chunk = unique.slice(i, i + 100);
    const res = await api.call(`batch read contacts by ${by}`, (sdk) =>
      sdk.crm.contacts.batchApi.read({ inputs: chunk.map((id) => ({ id })), properties: ['email', 'associatedcompanyid', 'hs_merged_object_ids'], propertiesWithHistory: [], ...(by === 'email' ? { idProperty: 'email' } : {}) }, false),
    );
    // a 207 (some not found) resolves in the SDK: the missing ones are simply absent here
    for (const r of res.results) {
      const ref = { id: String(r.id), companyId: r.properties.associatedcompanyid || null };
      if (by === 'email' && r.properties.email) out.set(r.properties.email.toLowerCase(), ref);
      if (by === 'id') {
        out.set(String(r.id), ref);
        // a merged-away id resolves to its survivor
        for (const old of (r.properties.hs_merged_object_ids ?? '').split(';')) if (old && chunk.includes(old)) out.set(old, ref);
      }
    }
  }
  return out;
}
