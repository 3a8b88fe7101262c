// The sync child's network guard, installed before the connector's module is loaded: a violation is
// printed and ends the child with code 97.
import { installNetworkGuard, onViolation } from './network-guard.mjs';

installNetworkGuard();
onViolation((message) => {
  process.stderr.write(`${message}\n`);
  process.exit(97);
});
