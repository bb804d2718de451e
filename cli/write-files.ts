/**
 * Writing build outputs: everything is computed first, then each file is written to a temporary name and
 * renamed into place, so an error never leaves a half-written file; `--check` compares instead of writing.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { OutputFile } from '../targets/types.ts';

export function writeOutputs(outDir: string, files: OutputFile[]): void {
  for (const f of files) {
    const path = join(outDir, ...f.path.split('/'));
    mkdirSync(dirname(path), { recursive: true });
    const tmp = `${path}.tmp-${process.pid}`;
    writeFileSync(tmp, f.content);
    renameSync(tmp, path);
  }
}

/** The files under `outDir` that are missing or differ from what a build would write. */
export function staleOutputs(outDir: string, files: OutputFile[]): { path: string; reason: 'missing' | 'differs' }[] {
  const res: { path: string; reason: 'missing' | 'differs' }[] = [];
  for (const f of files) {
    const path = join(outDir, ...f.path.split('/'));
    if (!existsSync(path)) res.push({ path: f.path, reason: 'missing' });
    else if (readFileSync(path, 'utf8') !== f.content) res.push({ path: f.path, reason: 'differs' });
  }
  return res;
}
