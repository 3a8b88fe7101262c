// `pnpm bench [filter]`: runs every test/bench/*.bench.ts (each in its own child process, so that
// peak RSS figures are per benchmark) and prints one JSON line per figure.
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const filter = process.argv[2];
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => !filter || f.includes(filter))
  .sort();
let failed = 0;
for (const file of files) {
  process.stderr.write(`bench: ${file}\n`);
  const r = spawnSync(
    process.execPath,
    ['--expose-gc', '--conditions=revloop-source', '--import', 'tsx', '--import', join(here, '../setup/network-guard-child.mjs'), join(here, 'one.ts'), join(here, file)],
    { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, METADATA_SERVER_DETECTION: 'none' } },
  );
  if (r.status !== 0) {
    failed++;
    process.stderr.write(`bench: ${file} failed with exit code ${r.status}\n`);
  }
}
process.exit(failed ? 1 : 0);
