// How every workspace package builds: each package's tsup.config.ts is
//   export default packageBuild({ entry: [...] })
// `pnpm build` emits JavaScript only (esbuild: about a second a package). Declaration files are
// for people who import a package from outside this workspace (an npm install): inside it,
// typecheck and tests read the sources (tsconfig `customConditions: ["revloop-source"]`), so
// nothing here needs them, and they took 10–80 s a package on a loaded 2-core machine (most of a
// fresh clone's build). `pnpm build:types` emits them (REVLOOP_BUILD_TYPES=1), with the entries a
// package names in `dts`.
import { defineConfig, type Options } from 'tsup';

export function packageBuild(options: Options): ReturnType<typeof defineConfig> {
  const types = process.env.REVLOOP_BUILD_TYPES === '1';
  return defineConfig({
    format: ['esm'],
    clean: true,
    target: 'node20',
    sourcemap: true,
    ...options,
    dts: types ? (options.dts ?? true) : false,
  });
}
