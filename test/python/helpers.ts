/** Helpers for tests of the Python package (clients/python/flowc): python3 as a child process, s3rver on loopback. */
import { spawn, spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';

export const root = resolve(import.meta.dirname, '../..');

/** The real python3's directory, put first on PATH (a version-manager shim costs about a second per start here). */
const pythonDir = (() => {
  const res = spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' });
  return res.status === 0 ? dirname(res.stdout.trim()) : null;
})();

/** PATH with the real python3 first, for processes that start many Python tasks. */
export const pythonPath = (): string => `${pythonDir ? `${pythonDir}:` : ''}${process.env.PATH ?? '/usr/bin:/bin'}`;

/** s3rver on a free loopback port with one bucket behind a SigV4 check (test/helpers/s3.ts). */
export { type LocalS3 } from '../helpers/s3.ts';
import { startS3 as startLocalS3, type LocalS3 } from '../helpers/s3.ts';
export function startS3(bucket = 'flowc-py'): Promise<LocalS3> {
  return startLocalS3([bucket]);
}

/** Runs python3 (without blocking the event loop, which may be serving S3 to it) from the repository root. */
export function runPython(args: string[], env: Record<string, string>, timeoutMs = 120_000): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolveRun) => {
    const child = spawn('python3', args, { cwd: root, env: { PATH: pythonPath(), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolveRun({ code: code ?? -1, stdout, stderr });
    });
  });
}
