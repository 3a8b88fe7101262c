// Scopes of private-app tokens: a token given scopes in `tokenScopes` is refused (403 MISSING_SCOPES,
// HubSpot's body) on an endpoint that needs a scope it lacks; tokens not listed there have them all.
// Only the scopes revloop's connector must name in its token instructions are modelled.
import type { HubSpotErrorBody } from './errors.js';

/** the scope an endpoint needs, by path prefix */
const required: Array<[prefix: string, scope: string]> = [['/email/public/v1/', 'content']];

export function missingScope(path: string, granted: readonly string[] | undefined): Omit<HubSpotErrorBody, 'correlationId'> | undefined {
  if (!granted) return undefined;
  const scope = required.find(([prefix]) => path.startsWith(prefix))?.[1];
  if (!scope || granted.includes(scope)) return undefined;
  return {
    status: 'error',
    message: "This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.",
    errors: [{ message: 'One or more of the following scopes are required.', context: { requiredGranularScopes: [scope] } }],
    links: { scopes: 'https://developers.hubspot.com/scopes' },
    category: 'MISSING_SCOPES',
  };
}

export function bearerOf(header: string | undefined): string | undefined {
  return /^Bearer\s+(.+)$/i.exec(header ?? '')?.[1]?.trim();
}
