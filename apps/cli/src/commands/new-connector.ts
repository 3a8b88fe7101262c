// `revloop new connector NAME`: scaffolds connectors/NAME in the workspace (or --dir), a package
// that passes its own conformance test as generated. Nothing is overwritten.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { RevloopError } from '@revloop/core';
import { scaffoldFiles, type ScaffoldNames } from './new-connector-files.js';

export interface NewConnectorResult {
  dir: string;
  files: string[];
  next: string[];
}

const namePattern = /^[a-z][a-z0-9-]{1,40}$/;

/** the folder holding pnpm-workspace.yaml above cwd, or cwd */
export function workspaceRoot(cwd: string): string {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir;
    if (dirname(dir) === dir) return resolve(cwd);
  }
}

export function namesFor(name: string): ScaffoldNames {
  const words = name.split('-').filter(Boolean);
  return {
    name,
    pkg: `@revloop/connector-${name}`,
    title: words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join(' '),
    envKey: `${words.join('_').toUpperCase()}_API_KEY`,
  };
}

export function newConnector(name: string, options: { root?: string; cwd?: string } = {}): NewConnectorResult {
  if (!namePattern.test(name)) {
    throw new RevloopError('BAD_ARGUMENT', `"${name}" is not a connector name: use 2 to 41 lower-case letters, digits and dashes, starting with a letter`, {
      where: 'revloop new connector <name>',
      fix: 'e.g. revloop new connector acme-crm',
      kind: 'bad_input',
    });
  }
  const root = options.root ?? workspaceRoot(options.cwd ?? process.cwd());
  const dir = join(root, 'connectors', name);
  if (existsSync(dir)) {
    throw new RevloopError('CONNECTOR_EXISTS', `${dir} already exists`, { where: dir, fix: 'pick another name, or remove the folder first', kind: 'bad_input' });
  }
  const files = scaffoldFiles(namesFor(name));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return {
    dir,
    files: Object.keys(files).map((f) => join(dir, f)),
    next: ['pnpm install', `npx vitest run connectors/${name}`, `edit connectors/${name}/src/streams/contacts.ts for the real API, and BEHAVIOR.md`],
  };
}
