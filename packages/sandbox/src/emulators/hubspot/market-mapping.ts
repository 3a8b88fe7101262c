// How the simulated market's entities look as HubSpot records (property names and values).
import type { OpportunityStage, Persona, SimContact, SimOpportunity } from '../../market/types.js';
import type { AccountView } from '../../market/identity-noise.js';

const lifecycle: Record<SimContact['lifecycleStage'], string> = {
  subscriber: 'subscriber',
  lead: 'lead',
  mql: 'marketingqualifiedlead',
  sql: 'salesqualifiedlead',
  opportunity: 'opportunity',
  customer: 'customer',
};

/** HubSpot stores personas as persona_N; the labels live in the property's options. */
export const personaIds: Record<Persona, string> = {
  economic_buyer: 'persona_1',
  champion: 'persona_2',
  technical_evaluator: 'persona_3',
  end_user: 'persona_4',
};

/**
 * The sandbox portal's persona settings, published for configs: persona_N → revloop's persona
 * name (the HubSpot connector's `personas` setting; docs/personas.md).
 */
export const hubspotPersonaNames: Readonly<Record<string, Persona>> = Object.freeze(
  Object.fromEntries(Object.entries(personaIds).map(([name, id]) => [id, name as Persona])),
);

export const dealStageOf: Record<OpportunityStage, string> = {
  qualification: 'appointmentscheduled',
  discovery: 'qualifiedtobuy',
  proposal: 'presentationscheduled',
  negotiation: 'contractsent',
  closed_won: 'closedwon',
  closed_lost: 'closedlost',
};

export function companyProperties(a: AccountView): Record<string, string> {
  return {
    name: a.name,
    domain: a.domain,
    industry: a.industry.toUpperCase().replace(/[^A-Z0-9]+/g, '_'),
    numberofemployees: String(a.employees),
    country: a.region,
    // HubSpot keeps a company's other domains in one semicolon-separated property
    ...(a.additionalDomains?.length ? { hs_additional_domains: a.additionalDomains.join(';') } : {}),
  };
}

export function contactProperties(c: SimContact, companyId: string | undefined): Record<string, string> {
  const p: Record<string, string> = {
    email: c.email,
    firstname: c.firstName,
    lastname: c.lastName,
    jobtitle: c.title,
    lifecyclestage: lifecycle[c.lifecycleStage],
    hs_persona: personaIds[c.persona],
  };
  if (companyId) p.associatedcompanyid = companyId;
  return p;
}

export function dealProperties(o: SimOpportunity): Record<string, string> {
  return {
    dealname: o.name,
    amount: String(o.amount),
    dealstage: dealStageOf[o.stage],
    pipeline: 'default',
    closedate: `${o.closeDate}T00:00:00.000Z`,
    hs_is_closed: String(o.isClosed),
    hs_is_closed_won: String(o.isWon),
  };
}
