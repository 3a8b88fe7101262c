// The guard lives in @revloop/plugin-kit (plugin authors use the same one); re-exported here
// as plain JS so that `node --import` can load it without a TypeScript loader.
export * from '../../packages/plugin-kit/src/network-guard.mjs';
