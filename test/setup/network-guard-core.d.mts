export * from '../../packages/plugin-kit/src/network-guard.mjs';
