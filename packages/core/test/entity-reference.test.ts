import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { entityReferenceMarkdown, undocumentedColumns } from '../src/index.js';

describe('docs/entities.md', () => {
  it('is the reference generated from the unified model (run `pnpm docs:entities` after changing it)', () => {
    expect(readFileSync(new URL('../../../docs/entities.md', import.meta.url), 'utf8')).toBe(entityReferenceMarkdown());
  });
  it('gives every column of every entity a type and a meaning', () => {
    expect(undocumentedColumns()).toEqual([]);
  });
});
