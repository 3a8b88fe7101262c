// `revloop check --live` for Google Ads: read-only calls that show what would fail later.
// - API version and customer access: a SearchStream of the `customer` resource (a retired API
//   version or a user without access to the customer fails here).
// - Upload allow-lists (uploadPath 'google-ads'): UploadClickConversions and
//   CreateOfflineUserDataJob with validate_only: true — nothing is written. Google refuses a
//   developer token off the allow-list with CUSTOMER_NOT_ALLOWLISTED_FOR_THIS_FEATURE before it
//   looks at the request's content, so a placeholder click / user list reveals it; any other answer
//   means the token passed the allow-list.
// - The Data Manager API path and the developer token's daily operations cannot be read without a
//   write / are not exposed by any API: reported as unknown with where to look.
import { isRevloopError, type LiveCheckFinding, type PluginContext } from '@revloop/core';
import { sessionFor, type GoogleAdsSession } from './client.js';
import type { GoogleAdsConfig } from './config.js';
import { conversionDateTime } from './dates.js';
import { GOOGLE_ADS_API_VERSION } from './version.js';

const DATA_MANAGER_FIX = "set uploadPath: 'data-manager' (the Data Manager API, open to new integrations; OAuth scope https://www.googleapis.com/auth/datamanager), or ask Google to allow-list the developer token";

export async function googleAdsLiveCheck(ctx: PluginContext<GoogleAdsConfig>): Promise<LiveCheckFinding[]> {
  const c = ctx.config;
  const session = sessionFor(ctx);
  const findings: LiveCheckFinding[] = [];

  const rows = await session.report('live check: customer', { entity: 'customer', attributes: ['customer.id', 'customer.descriptive_name', 'customer.currency_code'] });
  const customer = rows[0]?.customer as { id?: string; descriptive_name?: string; currency_code?: string } | undefined;
  findings.push({ what: `API version ${GOOGLE_ADS_API_VERSION}`, ok: true, detail: `served at ${c.apiEndpoint}` });
  findings.push(
    customer
      ? { what: `customer ${c.customerId}`, ok: true, detail: `readable ("${customer.descriptive_name ?? ''}", ${customer.currency_code ?? '?'})${c.loginCustomerId ? ` through manager ${c.loginCustomerId}` : ''}` }
      : { what: `customer ${c.customerId}`, ok: false, detail: 'answered no customer row', fix: 'check customerId (and loginCustomerId for an account reached through a manager)' },
  );
  if (customer?.currency_code && customer.currency_code !== c.currencyCode) {
    findings.push({ what: 'currencyCode', ok: false, detail: `configured ${c.currencyCode}, the account bills in ${customer.currency_code}: conversion values would be refused`, fix: `set currencyCode: '${customer.currency_code}'` });
  }

  if (c.uploadPath === 'data-manager') {
    findings.push({
      what: 'Data Manager API uploads',
      ok: true,
      unknown: true,
      detail: 'access to datamanager.googleapis.com cannot be confirmed without an upload',
      fix: 'the OAuth consent behind refreshToken must include https://www.googleapis.com/auth/datamanager; the first action run reports a refusal',
    });
  } else {
    findings.push(
      c.conversionAction
        ? await allowlisted(session, 'offline click-conversion uploads', (cust) =>
            cust.conversionUploads.uploadClickConversions({
              customer_id: c.customerId,
              conversions: [{ gclid: 'revloop-live-check', conversion_action: c.conversionAction, conversion_date_time: conversionDateTime(ctx.clock.now()) }],
              partial_failure: true,
              validate_only: true,
            } as never),
          )
        : { what: 'offline click-conversion uploads', ok: true, unknown: true, detail: 'conversionAction is not set: upload-click-conversions needs one per conversion' },
    );
    findings.push(
      await allowlisted(session, 'Customer Match uploads', (cust) =>
        cust.offlineUserDataJobs.createOfflineUserDataJob({
          customer_id: c.customerId,
          job: { type: 'CUSTOMER_MATCH_USER_LIST', customer_match_user_list_metadata: { user_list: `customers/${c.customerId}/userLists/0` } },
          validate_only: true,
        } as never),
      ),
    );
  }

  findings.push({
    what: 'daily operations',
    ok: true,
    unknown: true,
    detail: `requests are paced to requestsPerDay (${c.requestsPerDay}); Google exposes neither the developer token's access level nor its remaining operations by API`,
    fix: 'see the access level in the API Center of the manager account (Basic: 15,000 operations a day) and set requestsPerDay to it',
  });
  return findings;
}

/** a validate-only call: refused for the allow-list → would fail; anything else → passed it */
async function allowlisted(session: GoogleAdsSession, what: string, call: Parameters<GoogleAdsSession['call']>[1]): Promise<LiveCheckFinding> {
  try {
    await session.call(`live check: ${what} (validate only)`, call);
    return { what, ok: true, detail: 'a validate-only call passed the allow-list' };
  } catch (e) {
    if (isRevloopError(e) && e.code === 'GOOGLE_ADS_NOT_ALLOWLISTED') {
      return { what, ok: false, detail: 'CUSTOMER_NOT_ALLOWLISTED_FOR_THIS_FEATURE: this developer token is not allow-listed (Google closed these Google Ads API uploads to new adopters)', fix: DATA_MANAGER_FIX };
    }
    if (isRevloopError(e) && /PERMISSION|AUTH|RECONNECT|OAUTH/.test(e.code)) throw e;
    // another refusal of the placeholder content: the allow-list was passed
    return { what, ok: true, detail: `a validate-only call passed the allow-list (the placeholder was refused as expected: ${(e as Error).message.slice(0, 120)})` };
  }
}
