/**
 * Writing build outputs: everything is computed first, then each file is written, so an error never leaves a
 * half-written file: a file that replaces another is written to a temporary name and renamed into place; one in
 * a folder this call made (nothing to replace) is written under its name directly, and removed if writing fails.
 * A file that already holds exactly what the build gives is left as it is (its time stamp too): rebuilding a large
 * flow after a small change rewrites only the files that changed. `--check` compares instead of writing.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { OutputFile } from '../targets/types.ts';

/** Writes `files` under `outDir`; returns the paths (as in `files`) of those that already held their content. */
export function writeOutputs(outDir: string, files: OutputFile[]): Set<string> {
  const unchanged = new Set<string>();
  // Folders made by this call hold nothing yet: their files are written without looking for an old copy.
  const folders = new Map<string, 'new' | 'old'>();
  for (const f of files) {
    const path = join(outDir, ...f.path.split('/'));
    const dir = dirname(path);
    let folder = folders.get(dir);
    if (folder === undefined) folders.set(dir, (folder = mkdirSync(dir, { recursive: true }) === undefined ? 'old' : 'new'));
    // In a new folder the name is free, unless it came earlier in `files` (then it is replaced like any file).
    if (folder === 'new' && writeWhole(path, f.content, 'wx')) continue;
    if (compare(path, f.content) === 'same') {
      unchanged.add(f.path);
      continue;
    }
    const tmp = `${path}.tmp-${process.pid}`;
    writeWhole(tmp, f.content, 'w');
    try {
      renameSync(tmp, path);
    } catch (err) {
      rmSync(tmp, { force: true });
      throw err;
    }
  }
  return unchanged;
}

/**
 * Writes a file whole or not at all: when writing fails, what was written is removed. With `wx` (create only),
 * false when the file exists already, left as it is.
 */
function writeWhole(path: string, content: string, flag: 'w' | 'wx'): boolean {
  try {
    writeFileSync(path, content, { flag });
    return true;
  } catch (err) {
    if (flag === 'wx' && (err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    try {
      rmSync(path, { force: true });
    } catch {
      // Nothing was created, or it cannot be removed either: the first error says why.
    }
    throw err;
  }
}

/** The files under `outDir` that are missing or differ from what a build would write. */
export function staleOutputs(outDir: string, files: OutputFile[]): { path: string; reason: 'missing' | 'differs' }[] {
  const res: { path: string; reason: 'missing' | 'differs' }[] = [];
  for (const f of files) {
    const state = compare(join(outDir, ...f.path.split('/')), f.content);
    if (state !== 'same') res.push({ path: f.path, reason: state });
  }
  return res;
}

/** Whether the file at `path` holds exactly `content` (as UTF-8 bytes); its size is compared before it is read. */
function compare(path: string, content: string): 'same' | 'missing' | 'differs' {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (stat === undefined) return 'missing';
  if (!stat.isFile() || stat.size !== Buffer.byteLength(content)) return 'differs';
  return readFileSync(path).equals(Buffer.from(content)) ? 'same' : 'differs';
}
