// The private-app scopes this connector needs, and what for. Token instructions (README, the error
// of a refused token, `check`) name them from here.
export const HUBSPOT_SCOPES: ReadonlyArray<readonly [scope: string, usedBy: string]> = [
  ['crm.objects.contacts.read', 'contacts, signals (contact links)'],
  ['crm.objects.contacts.write', 'upsert-contact-properties, create-sales-tasks'],
  ['crm.objects.companies.read', 'companies'],
  ['crm.objects.companies.write', 'upsert-company-properties'],
  ['crm.objects.deals.read', 'deals'],
  ['crm.schemas.contacts.read', 'property discovery (also .companies / .deals)'],
  ['crm.lists.write', 'add-contacts-to-list'],
  ['content', 'email_events (GET /email/public/v1/events: the legacy email events API)'],
];

/** "a, b and c" of the scopes above, for instructions */
export const SCOPE_LIST = HUBSPOT_SCOPES.map(([s]) => s).join(', ');
