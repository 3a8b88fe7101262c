// The Data Manager API v1 (datamanager.googleapis.com) on loopback, over the same GoogleAdsState as
// the gRPC emulator: audienceMembers:ingest / :remove change Customer Match lists, events:ingest
// stores offline conversions, requestStatus:retrieve reports the asynchronous outcome. Strict like
// the real API: fast-fail validation (one bad record refuses the request, nothing is processed),
// destinations checked against the account, Customer Match terms and an encoding required for
// user data, at most 10,000 audience members / 2,000 events per request. No developer token is
// involved (the Data Manager API has no allow-list for these uploads); OAuth is not checked on
// loopback, like the gRPC emulator in insecure mode.
import { Hono, type Context } from 'hono';
import { GoogleAdsState, type UserDataOp } from '../state.js';
import { CLICK_LOOKBACK_DAYS } from '../services/conversion-upload-service.js';
import { invalidArgument, notFound, permissionDenied } from './errors.js';
import { IngestRequests, statusOf, type DestinationOutcome, type IngestKind } from './requests.js';
import { audienceRequestSchema, eventsRequestSchema, type AudienceRequest, type Destination, type EventsRequest } from './schemas.js';

const DAY_MS = 86_400_000;
const hex64 = /^[0-9a-fA-F]{64}$/;

function parseBody<T>(raw: unknown, schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } } }): T | Response {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const field = issue.path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i ? `.${String(p)}` : String(p))).join('') || 'body';
  return invalidArgument(field, issue.message);
}

/** a destination must be this Google Ads account and one of its lists / conversion actions */
function checkDestinations(state: GoogleAdsState, destinations: Destination[], target: 'userList' | 'conversionAction'): Response | undefined {
  for (const [i, d] of destinations.entries()) {
    if (d.operatingAccount.accountType !== 'GOOGLE_ADS') return invalidArgument(`destinations[${i}].operatingAccount.accountType`, `only GOOGLE_ADS is emulated, got ${d.operatingAccount.accountType}`);
    if (d.operatingAccount.accountId !== state.customerId) return permissionDenied(`The caller does not have permission to access operating account ${d.operatingAccount.accountId}.`);
    if (d.loginAccount && d.loginAccount.accountType !== 'GOOGLE_ADS') return invalidArgument(`destinations[${i}].loginAccount.accountType`, 'must be GOOGLE_ADS');
    const known = target === 'userList' ? state.userLists.has(d.productDestinationId) : state.conversionActions.has(d.productDestinationId);
    if (!known) return invalidArgument(`destinations[${i}].productDestinationId`, `${target === 'userList' ? 'user list' : 'conversion action'} ${d.productDestinationId} not found in account ${state.customerId}`);
  }
  return undefined;
}

/** the hashed emails of an audience request as lower-case hex, or the refusal of the first bad one */
function hashedEmails(req: AudienceRequest): string[][] | Response {
  const encoding = req.encoding ?? 'ENCODING_UNSPECIFIED';
  if (encoding === 'ENCODING_UNSPECIFIED') return invalidArgument('encoding', 'required for UserData uploads (HEX or BASE64)');
  const out: string[][] = [];
  for (const [i, m] of req.audienceMembers.entries()) {
    if (!m.userData) return invalidArgument(`audienceMembers[${i}].userData`, 'only userData (contact info) members are emulated');
    const emails: string[] = [];
    for (const [j, id] of m.userData.userIdentifiers.entries()) {
      if (id.emailAddress === undefined) continue;
      const field = `audienceMembers[${i}].userData.userIdentifiers[${j}].emailAddress`;
      let hex = id.emailAddress;
      if (encoding === 'BASE64') {
        const bytes = Buffer.from(id.emailAddress, 'base64');
        if (bytes.length !== 32) return invalidArgument(field, 'not a base64 SHA-256 hash');
        hex = bytes.toString('hex');
      } else if (!hex64.test(hex)) return invalidArgument(field, 'not a hex SHA-256 hash of a normalised email');
      emails.push(hex.toLowerCase());
    }
    if (!emails.length) return invalidArgument(`audienceMembers[${i}].userData.userIdentifiers`, 'no emailAddress (only emails are emulated)');
    out.push(emails);
  }
  return out;
}

/** '2024-03-01T10:00:00Z' → '2024-03-01 10:00:00+00:00' (how the gRPC path stores conversion times) */
const gadsDateTime = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, '+00:00');

export function createDataManagerApp(state: GoogleAdsState, requests: IngestRequests): Hono {
  const app = new Hono();

  const audience = async (c: Context, kind: IngestKind) => {
    const req = parseBody(await c.req.json().catch(() => null), audienceRequestSchema);
    if (req instanceof Response) return req;
    const refused = checkDestinations(state, req.destinations, 'userList');
    if (refused) return refused;
    if (kind === 'audienceMembersIngestion' && req.termsOfService?.customerMatchTermsOfServiceStatus !== 'ACCEPTED') {
      return invalidArgument('termsOfService.customerMatchTermsOfServiceStatus', 'the Customer Match terms of service must be ACCEPTED to upload audience members');
    }
    const emails = hashedEmails(req);
    if (emails instanceof Response) return emails;
    if (req.validateOnly) return c.json({});
    const action: UserDataOp['action'] = kind === 'audienceMembersRemoval' ? 'remove' : 'create';
    const ops = emails.flat().map((hashedEmail) => ({ action, hashedEmail }));
    const r = requests.add(kind, req.destinations, req.audienceMembers.length, (d): DestinationOutcome => {
      state.applyMembers(state.userLists.get(d.productDestinationId)!, ops);
      return { recordCount: req.audienceMembers.length, errors: new Map() };
    });
    return c.json({ requestId: r.id });
  };

  const events = async (c: Context) => {
    const req = parseBody(await c.req.json().catch(() => null), eventsRequestSchema) as EventsRequest | Response;
    if (req instanceof Response) return req;
    const refused = checkDestinations(state, req.destinations, 'conversionAction');
    if (refused) return refused;
    const times: number[] = [];
    for (const [i, e] of req.events.entries()) {
      const t = Date.parse(e.eventTimestamp);
      if (!/^\d{4}-\d{2}-\d{2}T/.test(e.eventTimestamp) || Number.isNaN(t)) return invalidArgument(`events[${i}].eventTimestamp`, 'an RFC 3339 timestamp, e.g. 2024-03-01T10:00:00Z');
      if (!e.adIdentifiers?.gclid && !e.userData) return invalidArgument(`events[${i}]`, 'an event needs adIdentifiers (gclid…) or userData');
      times.push(t);
    }
    if (req.validateOnly) return c.json({});
    const r = requests.add('eventsIngestion', req.destinations, req.events.length, (d): DestinationOutcome => {
      const action = `customers/${state.customerId}/conversionActions/${d.productDestinationId}`;
      const errors = new Map<string, number>();
      const fail = (reason: string) => errors.set(reason, (errors.get(reason) ?? 0) + 1);
      const seen = new Set(state.uploadedConversions().filter((s) => s.conversionAction === action).map((s) => s.orderId));
      req.events.forEach((e, i) => {
        const click = e.adIdentifiers?.gclid ? state.click(e.adIdentifiers.gclid) : undefined;
        if (!click) return fail('PROCESSING_ERROR_REASON_INVALID_GCLID');
        const at = times[i]!;
        if (at - click.occurredAt > CLICK_LOOKBACK_DAYS * DAY_MS || state.now() - click.occurredAt > CLICK_LOOKBACK_DAYS * DAY_MS) return fail('PROCESSING_ERROR_REASON_EVENT_TOO_OLD');
        if (seen.has(e.transactionId)) return fail('PROCESSING_ERROR_REASON_DUPLICATE_TRANSACTION_ID');
        seen.add(e.transactionId);
        state.storeConversion({
          gclid: click.clickId,
          conversionAction: action,
          conversionDateTime: gadsDateTime(at),
          ...(e.conversionValue === undefined ? {} : { conversionValue: e.conversionValue }),
          ...(e.currency === undefined ? {} : { currencyCode: e.currency }),
          orderId: e.transactionId,
          campaignId: click.campaignId,
          accountId: click.accountId,
          contactId: click.contactId,
          uploadedAt: state.now(),
        });
      });
      return { recordCount: req.events.length, errors };
    });
    return c.json({ requestId: r.id });
  };

  const retrieve = (c: Context) => {
    const id = c.req.query('requestId');
    if (!id) return invalidArgument('requestId', 'required');
    const r = requests.get(id);
    if (!r) return notFound(`Request ${id} was not found.`);
    requests.poll(r);
    return c.json({
      requestStatusPerDestination: r.destinations.map((destination, i) => {
        const outcome = r.outcomes?.[i];
        const errorCounts = outcome ? [...outcome.errors].map(([reason, recordCount]) => ({ recordCount: String(recordCount), reason })) : [];
        return {
          destination,
          requestStatus: statusOf(outcome),
          ...(errorCounts.length ? { errorInfo: { errorCounts } } : {}),
          [`${r.kind}Status`]: { recordCount: String(r.recordCount) },
        };
      }),
    });
  };

  // the method is after a colon in the path (gRPC transcoding), so routes are matched by hand
  app.post('/v1/*', async (c) => {
    switch (c.req.path) {
      case '/v1/audienceMembers:ingest':
        return audience(c, 'audienceMembersIngestion');
      case '/v1/audienceMembers:remove':
        return audience(c, 'audienceMembersRemoval');
      case '/v1/events:ingest':
        return events(c);
      default:
        return notFound(`${c.req.path} is not a Data Manager API method the emulator serves`);
    }
  });
  app.get('/v1/*', (c) => (c.req.path === '/v1/requestStatus:retrieve' ? retrieve(c) : notFound(`${c.req.path} not found`)));
  app.notFound((c) => notFound(`${c.req.method} ${c.req.path} not found`));
  return app;
}

export { IngestRequests } from './requests.js';
