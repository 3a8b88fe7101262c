// @revloop/plugin-kit: the conformance suite and helpers for connector authors.
export { describeConnectorConformance } from './conformance.js';
export type { ConformanceHarness, ConformanceOptions, ConformanceCheck, ChildImport, ActionProbe, RateLimitProbe } from './harness.js';
export { kitRuntime, type KitRuntimeOptions } from './runtime.js';
export { unifiedSnapshot, countRows, type UnifiedSnapshot } from './snapshot.js';
export { installNetworkGuard, takeViolations, isLoopbackHost, onViolation } from './network-guard.mjs';
export { killMidSyncAndResume, checkKillResume, defaultChildExecArgv, type KillResumeOptions, type KillResumeResult } from './kill-resume.js';
export { startFaultProxy, type FaultProxy, type FaultProxyOptions, type FaultProxyCounts, type Fault, type FaultRequest } from './fault-proxy.js';
export * from './http/index.js';
export { startFakeVendor, type FakeVendor, type FakeVendorOptions, type FakeRecord, type FakeRecordInput, type OAuthSettings, type ServerCounts } from './fake-vendor/index.js';
export * from './chaos/index.js';
