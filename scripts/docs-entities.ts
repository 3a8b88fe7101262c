// Writes docs/entities.md from the unified model's definitions (`pnpm docs:entities`).
import { writeFileSync } from 'node:fs';
import { entityReferenceMarkdown } from '@revloop/core';

writeFileSync(new URL('../docs/entities.md', import.meta.url), entityReferenceMarkdown());
console.log('wrote docs/entities.md');
