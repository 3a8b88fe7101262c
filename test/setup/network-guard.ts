// vitest setup file (every test file, every run): installs the network guard and fails any test
// during which something tried to leave loopback.
import { afterEach } from 'vitest';
import { installNetworkGuard, takeViolations } from './network-guard-core.mjs';

installNetworkGuard();

afterEach(() => {
  const seen = takeViolations();
  if (seen.length > 0) {
    throw new Error(`This test tried to leave the machine:\n  ${[...new Set(seen)].join('\n  ')}`);
  }
});
