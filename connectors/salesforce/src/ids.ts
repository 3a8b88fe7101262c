// Salesforce ids: 15 or 18 characters; the first three name the object (key prefix).
import { z } from 'zod';

export const sfIdSchema = z.string().regex(/^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/, 'a Salesforce id (15 or 18 characters)');

const PREFIXES: Record<string, string> = { '001': 'Account', '003': 'Contact', '00Q': 'Lead', '006': 'Opportunity', '701': 'Campaign', '00v': 'CampaignMember', '00T': 'Task' };

/** the sObject type of an id by its key prefix (standard objects only) */
export function sobjectOfId(id: string | null | undefined): string | undefined {
  return id ? PREFIXES[id.slice(0, 3)] : undefined;
}
