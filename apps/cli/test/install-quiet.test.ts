// A fresh install says only what a user can act on: every installed dependency with an install
// script is either built (onlyBuiltDependencies) or deliberately skipped (ignoredBuiltDependencies)
// in pnpm-workspace.yaml, so pnpm prints no "Ignored build scripts" box; and the CLI's `bin` is a
// file of the repository (not a build output), so linking it never fails with "Failed to create bin".
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const repo = resolve(import.meta.dirname, '../../..');

/** the names listed under `key:` in pnpm-workspace.yaml (a block list of plain names) */
function workspaceList(key: string): string[] {
  const text = readFileSync(join(repo, 'pnpm-workspace.yaml'), 'utf8');
  const block = new RegExp(`^${key}:\\n((?:  - .+\\n?)+)`, 'm').exec(text)?.[1] ?? '';
  return [...block.matchAll(/^ {2}- (.+)$/gm)].map((m) => m[1]!.trim().replace(/^["']|["']$/g, ''));
}

/** installed packages (node_modules/.pnpm) whose manifest has an install script or that pnpm builds with node-gyp */
function packagesWithInstallScripts(): string[] {
  const store = join(repo, 'node_modules/.pnpm');
  const names = new Set<string>();
  for (const entry of readdirSync(store)) {
    const modules = join(store, entry, 'node_modules');
    if (!existsSync(modules) || !statSync(modules).isDirectory()) continue;
    const name = entry.startsWith('@') ? entry.replace(/^(@[^+]+)\+([^@]+)@.*$/, '$1/$2') : entry.replace(/@.*$/, '');
    const manifest = join(modules, name, 'package.json');
    if (!existsSync(manifest)) continue;
    const scripts = (JSON.parse(readFileSync(manifest, 'utf8')) as { scripts?: Record<string, string> }).scripts ?? {};
    if (scripts.preinstall || scripts.install || scripts.postinstall || existsSync(join(modules, name, 'binding.gyp'))) names.add(name);
  }
  return [...names].sort();
}

describe('a quiet install', () => {
  it('every dependency with an install script is listed as built or ignored', () => {
    const listed = new Set([...workspaceList('onlyBuiltDependencies'), ...workspaceList('ignoredBuiltDependencies')]);
    const withScripts = packagesWithInstallScripts();
    expect(withScripts).toContain('better-sqlite3'); // the scan sees what pnpm builds
    expect(withScripts.filter((n) => !listed.has(n))).toEqual([]);
    expect(workspaceList('onlyBuiltDependencies')).toEqual(expect.arrayContaining(['better-sqlite3', 'esbuild']));
  });

  it("the CLI's bin exists before any build", () => {
    const manifest = JSON.parse(readFileSync(join(repo, 'apps/cli/package.json'), 'utf8')) as { bin: Record<string, string>; files: string[] };
    const bin = manifest.bin.revloop!;
    expect(bin.startsWith('./dist/')).toBe(false);
    expect(existsSync(join(repo, 'apps/cli', bin))).toBe(true);
    expect(manifest.files).toContain(bin.replace(/^\.\//, '').split('/')[0]);
  });
});
