export { identitySchema, defaultIdentityConfig, identityConfigProblems, type IdentityConfig, type IdentityConfigInput } from './config.js';
export { normalizeDomain, normalizeEmail, domainsIn, personalEmailDomains } from './normalize.js';
export { resolveIdentities, resolveRows, type IdentityRunSummary, type ResolveTypeSummary, type ResolveOptions, type IdentityEntity } from './resolve.js';
export { resolvedIdsOf, membersOf, type ResolvedType } from './lookup.js';
export { undoIdentityEvent, approveHeldMerge, rejectHeldMerge, type IdentityDecisionOptions } from './events.js';
export { identityReport, renderIdentityReport, type IdentityReport, type ResolvedBreakdown } from './report.js';
