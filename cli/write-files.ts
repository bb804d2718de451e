/**
 * Writing build outputs: everything is computed first, then each file is written to a temporary name and
 * renamed into place, so an error never leaves a half-written file; `--check` compares instead of writing.
 * A file that already holds exactly what the build gives is left as it is (its time stamp too): rebuilding a
 * large flow after a small change rewrites only the files that changed.
 */
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { OutputFile } from '../targets/types.ts';

export function writeOutputs(outDir: string, files: OutputFile[]): void {
  // Folders made by this call hold nothing yet: their files are written without looking for an old copy.
  const folders = new Map<string, 'new' | 'old'>();
  for (const f of files) {
    const path = join(outDir, ...f.path.split('/'));
    const dir = dirname(path);
    let folder = folders.get(dir);
    if (folder === undefined) folders.set(dir, (folder = mkdirSync(dir, { recursive: true }) === undefined ? 'old' : 'new'));
    if (folder === 'old' && compare(path, f.content) === 'same') continue;
    const tmp = `${path}.tmp-${process.pid}`;
    writeFileSync(tmp, f.content);
    renameSync(tmp, path);
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
