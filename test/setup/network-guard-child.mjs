// `node --import <this file>` for child processes started by tests (CLI end-to-end runs):
// the same guard; a violation is printed to stderr and makes the process exit with code 97.
import { installNetworkGuard, onViolation } from './network-guard-core.mjs';

installNetworkGuard();
onViolation((message) => {
  process.stderr.write(`${message}\n`);
  process.exitCode = 97;
});
