import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', 'http/index': 'src/http/index.ts', 'child-sync': 'src/child-sync.ts', 'chaos-child': 'src/chaos/child.ts' },
  format: ['esm'],
  dts: { entry: { index: 'src/index.ts', 'http/index': 'src/http/index.ts' } },
  clean: true,
  target: 'node20',
  sourcemap: true,
  external: ['vitest'],
});
