// Customer Match through the Data Manager API (uploadPath: 'data-manager'): the difference with
// what revloop last sent goes as audienceMembers:remove and audienceMembers:ingest requests of at
// most 10,000 members (SHA-256 hex of the normalised email, encoding HEX) to the list as
// destination, each polled to completion. Membership is a set, so a re-sent request is harmless.
import { RevloopError, type PluginContext } from '@revloop/core';
import type { GoogleAdsConfig } from '../config.js';
import { describeCounts, destination, dmAwait, dmSend, type DmOutcome } from '../data-manager.js';

export const MEMBERS_PER_REQUEST = 10_000;

export async function uploadMembersThroughDataManager(ctx: PluginContext<GoogleAdsConfig>, userList: string, adds: string[], removes: string[]): Promise<DmOutcome[]> {
  const listId = userList.split('/').pop()!;
  const where = `connectors.${ctx.name} (customer-match-sync via the Data Manager API, list ${userList})`;
  const outcomes: DmOutcome[] = [];
  const send = async (method: 'audienceMembers:ingest' | 'audienceMembers:remove', hashes: string[]) => {
    for (let i = 0; i < hashes.length; i += MEMBERS_PER_REQUEST) {
      const chunk = hashes.slice(i, i + MEMBERS_PER_REQUEST);
      const requestId = await dmSend(
        ctx,
        method,
        {
          destinations: [destination(ctx.config, listId)],
          audienceMembers: chunk.map((h) => ({ userData: { userIdentifiers: [{ emailAddress: h }] } })),
          encoding: 'HEX',
          // uploading states that the Customer Match terms were accepted in the account
          ...(method === 'audienceMembers:ingest' ? { termsOfService: { customerMatchTermsOfServiceStatus: 'ACCEPTED' } } : {}),
        },
        where,
      );
      const outcome = await dmAwait(ctx, requestId, where);
      if (outcome.status === 'FAILED') {
        throw new RevloopError('GOOGLE_DATA_MANAGER_INGEST_FAILED', `Data Manager request ${requestId} (${method}, ${chunk.length} members) FAILED: ${describeCounts(outcome)}`, {
          where,
          fix: 'see the reasons above (e.g. the Customer Match terms are not accepted in the Google Ads account, or the list is closed); fix it and run the sync again',
        });
      }
      if (outcome.status === 'PARTIAL_SUCCESS') ctx.log.warn({ requestId, method, errors: outcome.errorCounts }, 'customer match: some members were not processed');
      outcomes.push(outcome);
    }
  };
  await send('audienceMembers:remove', removes);
  await send('audienceMembers:ingest', adds);
  return outcomes;
}
