// Terminal output: tables, JSON documents, errors. stdout carries results only; logs and
// progress go to stderr.
import { isRevloopError, errorMessage, type RevloopError } from '@revloop/core';

export type Align = 'left' | 'right';
export interface Column<T> {
  header: string;
  value: (row: T) => string | number | null | undefined;
  align?: Align;
}

/** A plain-text table: a header, a rule, one line per row; numbers right-aligned. */
export function table<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  const cells = rows.map((r) => columns.map((c) => cellText(c.value(r))));
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((row) => row[i]!.length)));
  const aligns = columns.map((c, i) => c.align ?? (rows.length > 0 && rows.every((r) => typeof c.value(r) === 'number') ? 'right' : 'left'));
  const line = (xs: string[]) => xs.map((x, i) => (aligns[i] === 'right' ? x.padStart(widths[i]!) : x.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(columns.map((c) => c.header)), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

function cellText(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '-';
  return String(v).replace(/\s+/g, ' ');
}

export function out(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

export function err(text: string): void {
  process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
}

export function outJson(doc: unknown): void {
  process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
}

export function seconds(ms: number): string {
  return (ms / 1000).toFixed(2);
}

export function time(ms: number | null | undefined): string {
  return ms === null || ms === undefined ? '-' : new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

/** The error document --json prints, and the exit code an error means. */
export function errorReport(e: unknown, configFile?: string): { code: number; json: { error: { code: string; message: string; where?: string; fix?: string; config?: string } }; text: string } {
  if (isRevloopError(e)) {
    const re = e as RevloopError;
    const mentionsFile = configFile && !re.message.includes(configFile) && !(re.where ?? '').includes(configFile);
    const text = re.describe() + (mentionsFile ? `\n  config: ${configFile}` : '');
    return { code: re.exitCode, json: { error: { code: re.code, message: re.message, where: re.where, fix: re.fix, ...(configFile ? { config: configFile } : {}) } }, text };
  }
  const message = errorMessage(e);
  return {
    code: 1,
    json: { error: { code: 'UNEXPECTED', message } },
    text: `error UNEXPECTED: ${message}\n  fix:   run again with --verbose for details; report it if it persists${process.env.REVLOOP_DEBUG && e instanceof Error ? `\n${e.stack}` : ''}`,
  };
}
