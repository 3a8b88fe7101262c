import { packageBuild } from '../../tsup.package';

export default packageBuild({
  entry: ['src/index.ts', 'src/bin.ts'],
  // with `pnpm build:types`: declarations for the library entry only
  dts: { entry: 'src/index.ts' },
  // bin.js is the `revloop` executable; the banner is harmless in index.js
  banner: { js: '#!/usr/bin/env node' },
});
