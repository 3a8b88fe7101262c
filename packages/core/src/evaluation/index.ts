// Off-policy evaluation of logged decisions (vendor-free): read a window's channel choices with
// their propensities and answers, and estimate other policies' answer rates (IPS, SNIPS, DR).
export { readLoggedWindow, type LoggedChoice, type LoggedWindow, type WindowQuery } from './logged-choices.js';
export { candidates as offPolicyCandidates, defaultCandidates as defaultOffPolicyCandidates, parseCandidates as parseOffPolicyCandidates, type Candidate as OffPolicyCandidate } from './candidates.js';
export { evaluateOffPolicy, evaluateChoices as evaluateLoggedChoices, MIN_DECISIONS as MIN_OFF_POLICY_DECISIONS, type CandidateResult, type Interval, type OffPolicyOptions, type OffPolicyReport } from './off-policy.js';
export { parseSettings as parseReplaySettings, settingsCandidate as replaySettingsCandidate, type ReplayFallback } from './replay-candidate.js';
