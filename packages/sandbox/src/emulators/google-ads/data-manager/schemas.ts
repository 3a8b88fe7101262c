// Request bodies of the Data Manager API v1 (REST, JSON names) the emulator accepts:
// audienceMembers:ingest / :remove and events:ingest. Shapes from the v1 REST reference
// (developers.google.com/data-manager/api/reference/rest/v1).
import { z } from 'zod';

export const MAX_AUDIENCE_MEMBERS = 10_000;
export const MAX_EVENTS = 2_000;

const account = z.object({ accountType: z.string(), accountId: z.string() }).passthrough();

export const destinationSchema = z
  .object({
    reference: z.string().optional(),
    loginAccount: account.optional(),
    linkedAccount: account.optional(),
    operatingAccount: account,
    productDestinationId: z.string().min(1),
  })
  .passthrough();
export type Destination = z.infer<typeof destinationSchema>;

const userIdentifier = z.object({ emailAddress: z.string().optional(), phoneNumber: z.string().optional(), address: z.unknown().optional() }).passthrough();
const userData = z.object({ userIdentifiers: z.array(userIdentifier).min(1) }).passthrough();

export const audienceRequestSchema = z
  .object({
    destinations: z.array(destinationSchema).min(1),
    audienceMembers: z.array(z.object({ destinationReferences: z.array(z.string()).optional(), userData: userData.optional(), consent: z.unknown().optional() }).passthrough()).min(1).max(MAX_AUDIENCE_MEMBERS),
    consent: z.unknown().optional(),
    validateOnly: z.boolean().optional(),
    encoding: z.enum(['ENCODING_UNSPECIFIED', 'HEX', 'BASE64']).optional(),
    encryptionInfo: z.unknown().optional(),
    termsOfService: z.object({ customerMatchTermsOfServiceStatus: z.enum(['TERMS_OF_SERVICE_STATUS_UNSPECIFIED', 'ACCEPTED', 'REJECTED']).optional() }).passthrough().optional(),
  })
  .passthrough();
export type AudienceRequest = z.infer<typeof audienceRequestSchema>;

export const eventsRequestSchema = z
  .object({
    destinations: z.array(destinationSchema).min(1),
    events: z
      .array(
        z
          .object({
            destinationReferences: z.array(z.string()).optional(),
            transactionId: z.string().min(1),
            eventTimestamp: z.string().min(1),
            adIdentifiers: z.object({ gclid: z.string().optional(), gbraid: z.string().optional(), wbraid: z.string().optional() }).passthrough().optional(),
            conversionValue: z.number().optional(),
            currency: z.string().optional(),
            eventSource: z.enum(['EVENT_SOURCE_UNSPECIFIED', 'WEB', 'APP', 'IN_STORE', 'PHONE', 'OTHER']).optional(),
            userData: userData.optional(),
          })
          .passthrough(),
      )
      .min(1)
      .max(MAX_EVENTS),
    consent: z.unknown().optional(),
    validateOnly: z.boolean().optional(),
    encoding: z.enum(['ENCODING_UNSPECIFIED', 'HEX', 'BASE64']).optional(),
  })
  .passthrough();
export type EventsRequest = z.infer<typeof eventsRequestSchema>;
