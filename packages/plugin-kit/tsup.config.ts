import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/child-sync.ts'],
  format: ['esm'],
  dts: { entry: 'src/index.ts' },
  clean: true,
  target: 'node20',
  sourcemap: true,
  external: ['vitest'],
});
