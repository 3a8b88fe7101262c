// The `revloop` executable (tsup adds the #!/usr/bin/env node banner).
import { main } from './program.js';

const code = await main(process.argv);
// a pipe's writes can still be queued (a large --json document read by another program): the
// callback of an empty write runs once everything before it was handed to the OS
const flushed = (stream: NodeJS.WriteStream) => new Promise<void>((resolve) => stream.write('', () => resolve()));
await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
// exit now so that no idle handle (a cron timer, a pending socket) keeps the process alive
process.exit(code);
