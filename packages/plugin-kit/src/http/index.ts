export { vendorClient, type VendorClient, type VendorClientOptions, type VendorRequest, type Query } from './client.js';
export { bearer, oauth2Refresh, type Authenticator, type OAuth2RefreshOptions } from './auth.js';
export { createTokenCache, type TokenCache, type TokenCacheOptions, type TokenGrant } from './token-cache.js';
export { postTokenForm, type TokenEndpointAnswer, type TokenRequestOptions } from './token-request.js';
export { sharedRateLimiter, type RateLimitOptions } from './rate-limit.js';
export { cursorPages, offsetPages, linkHeaderPages, updatedSincePages, nextLink, type Page, type UpdatedPosition } from './paginate.js';
export { sendOnce } from './send-once.js';
