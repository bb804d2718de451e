/**
 * Golden files: `assertGolden(path, actual)` compares `actual` with the file at `path` (relative to `test/`).
 * A missing file is written; `UPDATE=1` rewrites every golden file. Review the diff like code.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import * as assert from 'uvu/assert';

export const testRoot = resolve(import.meta.dirname, '..');
export const repoRoot = resolve(testRoot, '..');

export function assertGolden(relPath: string, actual: string): void {
  const path = join(testRoot, relPath);
  if (process.env.UPDATE === '1' || !existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual);
    return;
  }
  assert.fixture(actual, readFileSync(path, 'utf8'));
}

/** The `.flow` files of a case folder under `test/`, sorted, as `{ name, path, text }`. */
export function caseFiles(relDir: string, ext = '.flow'): { name: string; path: string; text: string }[] {
  const dir = join(testRoot, relDir);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(ext))
    .sort()
    .map((f) => ({ name: f.slice(0, -ext.length), path: join(dir, f), text: readFileSync(join(dir, f), 'utf8') }));
}
