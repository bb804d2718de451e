/**
 * Runs the real `flowc` binary (bin/flowc.js over the bundle that `npm test` builds first) with a time limit,
 * and asserts what every run must satisfy whatever its input: it ends in time, exits 0, 1 or 2, and never prints
 * a stack trace or an internal error.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import { repoRoot } from '../helpers/golden.ts';

/** `FLOWC_BIN` may name another launcher to test (e.g. an unbundled development entry). */
const flowcBin = process.env.FLOWC_BIN ?? join(repoRoot, 'bin', 'flowc.js');

export interface FlowcRun {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
  timedOut: boolean;
}

export function runFlowc(args: string[], opts: { cwd?: string; timeoutMs?: number; input?: string } = {}): FlowcRun {
  const started = performance.now();
  const res = spawnSync(process.execPath, [flowcBin, ...args], {
    cwd: opts.cwd ?? repoRoot,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
    input: opts.input ?? '',
    timeout: opts.timeoutMs ?? 60_000,
    maxBuffer: 512 * 1024 * 1024,
  });
  const timedOut = res.error !== undefined && (res.error as NodeJS.ErrnoException).code === 'ETIMEDOUT';
  return { code: res.status, stdout: res.stdout ?? '', stderr: res.stderr ?? '', ms: performance.now() - started, timedOut };
}

/** A stack frame line as V8 prints them (`    at fn (file:line:col)`). */
const stackFrame = /^\s+at .*(\(|\s)(file:|node:|\/).*:\d+:\d+\)?$/m;

/** Asserts a run ended cleanly: in time, exit code 0/1/2 (one of `allowed` when given), no crash output. */
export function assertClean(run: FlowcRun, what: string, allowed: number[] = [0, 1, 2]): void {
  assert.not.ok(run.timedOut, `${what}: timed out after ${Math.round(run.ms)} ms`);
  assert.ok(run.code !== null && allowed.includes(run.code), `${what}: exit code ${run.code}, expected one of ${allowed.join('/')}\n${run.stderr.slice(0, 2000)}`);
  for (const [name, text] of [
    ['stderr', run.stderr],
    ['stdout', run.stdout],
  ] as const) {
    assert.not.match(text.slice(0, 200_000), stackFrame, `${what}: stack trace on ${name}:\n${text.slice(0, 2000)}`);
    assert.not.match(text.slice(0, 200_000), /internal error/i, `${what}: internal error on ${name}:\n${text.slice(0, 2000)}`);
  }
}

/** A fresh temporary directory holding `files` (text or bytes), with a `.git` folder so config lookup stops there. */
export function tempProject(files: Record<string, string | Uint8Array>): string {
  const dir = mkdtempSync(join(tmpdir(), 'flowc-hardening-'));
  mkdirSync(join(dir, '.git'), { recursive: true });
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

