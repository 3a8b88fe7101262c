// The `revloop` executable (tsup adds the #!/usr/bin/env node banner).
import { main } from './program.js';

const code = await main(process.argv);
// stdout/stderr are flushed (pipes and files are synchronous on POSIX); exit now so that no
// idle handle (a cron timer, a pending socket) keeps the process alive
process.exit(code);
