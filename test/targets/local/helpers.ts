/**
 * Helpers for tests of local runs: a sandbox directory (its own HOME, flowc state and user), and the built
 * `flowc` binary run in it. Nothing is written outside the sandbox.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

export const root = resolve(import.meta.dirname, '../../..');
const bin = join(root, 'bin', 'flowc.js');

/** The directory of the real python3 (not a version-manager shim, which costs a second per task here). */
const pythonDir = (() => {
  const res = spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' });
  return res.status === 0 ? dirname(res.stdout.trim()) : null;
})();

export interface Sandbox {
  dir: string;
  env: Record<string, string>;
  write(name: string, text: string): string;
  flowc(args: string[], opts?: { cwd?: string; env?: Record<string, string> }): { code: number; stdout: string; stderr: string };
  /** Like `flowc`, without blocking the event loop (needed when this process serves something the run uses). */
  flowcAsync(args: string[], opts?: { cwd?: string; env?: Record<string, string> }): Promise<{ code: number; stdout: string; stderr: string }>;
  /** Starts flowc without waiting (for kill and serve tests). */
  spawnFlowc(args: string[], opts?: { cwd?: string; env?: Record<string, string> }): ReturnType<typeof spawn>;
}

export function sandbox(): Sandbox {
  const dir = mkdtempSync(join(tmpdir(), 'flowc-local-'));
  mkdirSync(join(dir, 'home'));
  const env: Record<string, string> = {
    PATH: `${pythonDir ? `${pythonDir}:` : ''}${process.env.PATH ?? '/usr/bin:/bin'}`,
    HOME: join(dir, 'home'),
    FLOWC_HOME: join(dir, 'home', 'flowc'),
    USER: 'tester',
    NO_COLOR: '1',
  };
  return {
    dir,
    env,
    write(name, text) {
      const path = join(dir, name);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, text);
      return path;
    },
    flowc(args, opts = {}) {
      const res = spawnSync(process.execPath, [bin, ...args], { cwd: opts.cwd ?? dir, env: { ...env, ...opts.env }, encoding: 'utf8', timeout: 60_000 });
      return { code: res.status ?? -1, stdout: res.stdout, stderr: res.stderr };
    },
    flowcAsync(args, opts = {}) {
      const child = this.spawnFlowc(args, opts);
      let stdout = '';
      let stderr = '';
      child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
      child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      return new Promise((resolve) =>
        child.once('close', (code) => {
          clearTimeout(timer);
          resolve({ code: code ?? -1, stdout, stderr });
        }),
      );
    },
    spawnFlowc(args, opts = {}) {
      return spawn(process.execPath, [bin, ...args], { cwd: opts.cwd ?? dir, env: { ...env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    },
  };
}

/** Polls until `cond` holds (every 20 ms), failing after `ms`. */
export async function waitFor(cond: () => boolean, ms = 20_000): Promise<void> {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error('Timed out waiting.');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Compiles a flow text and runs it in-process on a fresh directory datastore; the run is read back through the client API. */
export async function runSource(text: string, opts: { file?: string; params?: Record<string, string>; runId?: string } = {}) {
  const { analyze } = await import('../../../compiler/analyze.ts');
  const { lower } = await import('../../../compiler/lower.ts');
  const { Flow } = await import('../../../targets/local/client.ts');
  const { FsDatastore } = await import('../../../targets/local/fs-datastore.ts');
  const { resolveParams } = await import('../../../targets/local/params.ts');
  const { runFlow } = await import('../../../targets/local/run.ts');
  const { typeChecker } = await import('../../../targets/local/validate.ts');
  const file = opts.file ?? 'flow.flow';
  const analysis = analyze(text, { file, config: {} });
  const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) throw new Error(errors.map((d) => `${d.code}: ${d.message}`).join('\n'));
  const [ir] = lower(analysis);
  const dir = mkdtempSync(join(tmpdir(), 'flowc-src-'));
  const ds = new FsDatastore(join(dir, '.flowc'));
  const check = typeChecker(ir);
  const { params, errors: paramErrors } = await resolveParams(ir, opts.params ?? {}, { ds, cwd: dir, check });
  if (paramErrors.length) throw new Error(paramErrors.join('\n'));
  const quiet = { runStarted() {}, taskStarted() {}, taskRetry() {}, taskFinished() {}, runFinished() {} };
  const outcome = await runFlow({ ir, ds, params, check, sourceFile: join(dir, file), namespace: 'user:test', tags: [], maxWorkers: 4, env: process.env, reporter: quiet, runId: opts.runId });
  const run = await Flow(ir.name, { namespace: 'user:test', datastore: ds.location }).latestRun();
  return { ir, ds, outcome, run: run! };
}
