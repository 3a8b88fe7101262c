// How simulated-market entities become Salesforce field values. Times are truncated to whole
// seconds like Salesforce stores them, which is also why many records share one SystemModstamp.
import type { OpportunityStage, SimContact, SimOpportunity } from '../../market/types.js';
import type { AccountView } from '../../market/identity-noise.js';

export const STAGE_NAMES: Record<OpportunityStage, string> = {
  qualification: 'Qualification',
  discovery: 'Needs Analysis',
  proposal: 'Proposal/Price Quote',
  negotiation: 'Negotiation/Review',
  closed_won: 'Closed Won',
  closed_lost: 'Closed Lost',
};

/** Website as a person typed it where the market's view has one (identity noise), else the bare domain */
export function accountValues(a: AccountView): Record<string, unknown> {
  return { Name: a.name, Industry: a.industry, NumberOfEmployees: a.employees, Website: a.website ?? a.domain, BillingCountry: a.region };
}

export function contactValues(c: SimContact, accountId: string | null): Record<string, unknown> {
  return { FirstName: c.firstName, LastName: c.lastName, Email: c.email, Title: c.title, AccountId: accountId };
}

export function opportunityValues(o: SimOpportunity, accountId: string | null, contactId: string | null): Record<string, unknown> {
  return { Name: o.name, AccountId: accountId, ContactId: contactId, StageName: STAGE_NAMES[o.stage], Amount: o.amount, CloseDate: o.closeDate };
}
