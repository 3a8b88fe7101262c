// The execute step of the connector path: each channel goes to the connector action whose
// vendor-side effect is that treatment (packages/sandbox/src/emulators/*/README.md, "Treatments"):
//   email      → HubSpot: revloop_next_action = "email" on the contact (with topic, variant, hour)
//   sales_task → HubSpot: a task associated with the contact (and its company), due at the chosen hour
//   linkedin   → LinkedIn Ads: the contact's hashed email added to a DMP segment
//   google     → Google Ads: the contact's hashed email added to a Customer Match list
// Every input carries the decision key, so a retried decision replays (runAction's record) and a
// later decision for the same contact is a new write.
import type { WorkflowInput } from '@revloop/core';
import { VENDOR } from './vendor-connectors.js';

type Targets = Record<string, { action: string; input: Record<string, unknown> }>;

export function vendorExecuteTargets(): Targets {
  return {
    email: {
      action: `${VENDOR.hubspot}.upsert-contact-properties`,
      input: {
        key: '{{decisionKey}}',
        records: [{ id: '{{contact.ids.hubspot}}', properties: { revloop_next_action: 'email', revloop_topic: '{{topic}}', revloop_variant: '{{variant}}', revloop_send_hour: '{{sendHour}}' } }],
      },
    },
    sales_task: {
      action: `${VENDOR.hubspot}.create-sales-tasks`,
      input: {
        tasks: [{ key: '{{decisionKey}}', subject: '{{message.subject}}', body: '{{message.body}}', contactId: '{{contact.ids.hubspot}}', companyId: '{{account.ids.hubspot}}', topic: '{{topic}}', dueAt: '{{sendAt}}' }],
      },
    },
    // Audience actions take the whole intended membership. One audience per decision keeps
    // "one decision = one ADD" exact: a shared audience set to one person would REMOVE the previous
    // decision's contact, and re-adding a contact already in it is no new exposure (see the report).
    linkedin: {
      action: `${VENDOR.linkedin}.sync-audience`,
      input: { segmentName: 'revloop {{decisionKey}}', emails: ['{{contact.email}}'], requestId: '{{decisionKey}}' },
    },
    google: {
      action: `${VENDOR.google}.customer-match-sync`,
      input: { listName: 'revloop {{decisionKey}}', emails: ['{{contact.email}}'], syncId: '{{decisionKey}}' },
    },
  };
}

/**
 * Outcomes back to LinkedIn as offline conversions (the loop's last step): each opportunity and
 * closed-won deal of a decision's account, matched on the decision's contact, deduplicated by
 * LinkedIn on the outcome's id. The sandbox accepts any conversion rule URN; a real account names
 * its own (Campaign Manager → Conversions). Google's click conversions need a gclid, which the
 * sandbox's outcomes do not carry back; they are not uploaded here.
 */
export function vendorConversions(): NonNullable<WorkflowInput['conversions']> {
  return [
    {
      action: `${VENDOR.linkedin}.upload-conversions`,
      batch: 'events',
      item: { eventId: '{{outcome.id}}', kind: '{{outcome.kind}}', occurredAt: '{{outcome.occurredAt}}', valueMicros: '{{outcome.valueMicros}}', currencyCode: 'USD', email: '{{contact.email}}', conversion: 'urn:lla:llaPartnerConversion:1' },
    },
  ];
}
