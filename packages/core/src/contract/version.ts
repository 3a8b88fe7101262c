// The plugin contract's version. A plugin records the version it was built for; the registry
// refuses one built for another major version.
export const CONTRACT_VERSION = '1.0.0';

export function majorOf(version: string): number {
  const major = Number.parseInt(version.split('.')[0] ?? '', 10);
  return Number.isFinite(major) ? major : Number.NaN;
}
