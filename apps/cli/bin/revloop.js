#!/usr/bin/env node
// The `revloop` executable pnpm links (node_modules/.bin/revloop) and bin/revloop at the clone's
// root runs. It exists before the first build, so that installing links it without a warning; it
// runs the built CLI, or says how to build it.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const built = new URL('../dist/bin.js', import.meta.url);
if (!existsSync(fileURLToPath(built))) {
  const root = fileURLToPath(new URL('../../..', import.meta.url));
  process.stderr.write(`error NOT_BUILT: revloop is not built yet (no ${fileURLToPath(built)})\n  fix:   run \`pnpm install --frozen-lockfile && pnpm build\` in ${root}\n`);
  process.exit(1);
}
await import(built.href);
