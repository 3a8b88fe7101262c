import { packageBuild } from '../../tsup.package';

export default packageBuild({
  entry: { index: 'src/index.ts', 'http/index': 'src/http/index.ts', 'child-sync': 'src/child-sync.ts', 'chaos-child': 'src/chaos/child.ts' },
  // with `pnpm build:types`: declarations for the public entries only
  dts: { entry: { index: 'src/index.ts', 'http/index': 'src/http/index.ts' } },
  external: ['vitest'],
});
