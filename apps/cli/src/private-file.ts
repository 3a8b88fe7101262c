// Files revloop writes for its user (reports: revenue, spend, account names) are readable by their
// owner only (0600), also when they replace an older copy: the text goes to a new temporary file
// created 0600 and is renamed over the target, so no reader ever sees half of it either.
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

export const PRIVATE_FILE_MODE = 0o600;

export function writePrivateFile(path: string, text: string): string {
  const file = resolve(path);
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, text, { mode: PRIVATE_FILE_MODE, flag: 'wx' });
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
  return file;
}
