/** Helpers for tests of the Python package (clients/python/flowc): python3 as a child process, s3rver on loopback. */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

export const root = resolve(import.meta.dirname, '../..');

/** The real python3's directory, put first on PATH (a version-manager shim costs about a second per start here). */
const pythonDir = (() => {
  const res = spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' });
  return res.status === 0 ? dirname(res.stdout.trim()) : null;
})();

export interface LocalS3 {
  endpoint: string;
  bucket: string;
  close: () => Promise<void>;
}

/** s3rver on a free loopback port with one bucket; credentials `S3RVER`/`S3RVER`, signatures checked. */
export async function startS3(bucket = 'flowc-py'): Promise<LocalS3> {
  const { default: S3rver } = (await import('s3rver' as string)) as { default: new (o: unknown) => { run: () => Promise<{ port: number }>; close: () => Promise<void> } };
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: mkdtempSync(join(tmpdir(), 'flowc-s3rver-')), configureBuckets: [{ name: bucket }] });
  const { port } = await server.run();
  return { endpoint: `http://127.0.0.1:${port}`, bucket, close: () => server.close() };
}

/** Runs python3 (without blocking the event loop, which may be serving S3 to it) from the repository root. */
export function runPython(args: string[], env: Record<string, string>, timeoutMs = 120_000): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolveRun) => {
    const child = spawn('python3', args, { cwd: root, env: { PATH: `${pythonDir ? `${pythonDir}:` : ''}${process.env.PATH ?? '/usr/bin:/bin'}`, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
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
