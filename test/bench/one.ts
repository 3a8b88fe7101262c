// Runs one benchmark module (its default export) and prints its figures as JSON lines.
import { pathToFileURL } from 'node:url';
import type { Benchmark } from './figure.js';

const file = process.argv[2];
const mod = (await import(pathToFileURL(file).href)) as { default: Benchmark };
const figures = await mod.default();
for (const f of figures) process.stdout.write(`${JSON.stringify(f)}\n`);
