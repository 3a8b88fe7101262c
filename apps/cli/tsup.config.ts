import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/bin.ts'],
  format: ['esm'],
  dts: { entry: 'src/index.ts' },
  clean: true,
  target: 'node20',
  sourcemap: true,
  // bin.js is the `revloop` executable; the banner is harmless in index.js
  banner: { js: '#!/usr/bin/env node' },
});
