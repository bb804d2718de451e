/**
 * Running one task: materialize its inputs into a scratch directory, start the step's command as a child process
 * following the task protocol (targets/protocol) under a watchdog that kills it when the runner dies (`WATCHDOG`),
 * enforce `@timeout`, retry per `@retry`, then read, validate and store its outputs. `run [...]` bodies are executed
 * as their argv (the watchdog passes it on as "$@", never as shell text); every other body uses the protocol's
 * command, exactly as containers do.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdir, readFile, rm, stat } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { StepIR } from '../../compiler/ir.ts';
import { inVar, outVar, paramVar, resolveArgv, scalarText, taskCommand, TASK_DIR_VAR } from '../protocol/index.ts';
export { templateParams } from '../protocol/index.ts';
import { loadValue, materialize, readOutput } from './artifacts.ts';
import type { Datastore } from './datastore.ts';
import type { ArtifactMeta } from './records.ts';
import { typeMismatchMessage, type TypeChecker } from './validate.ts';

export interface TaskSpec {
  flow: string;
  runId: string;
  step: StepIR;
  taskId: string;
  foreachIndex: number | null;
  /** Resolved inputs, by input name. */
  inputs: Record<string, ArtifactMeta>;
  /** Parameters the body's templates name (`{{param.x}}`), by name. */
  params: Record<string, ArtifactMeta>;
  /** A fresh directory for this task (created here, removed by the caller). */
  dir: string;
  /** The working directory of the command (the flow file's directory). */
  cwd: string;
  /** The environment inherited by every task (the runner's own). */
  baseEnv: Record<string, string | undefined>;
}

export interface TaskOutcome {
  ok: boolean;
  attempts: number;
  outputs: Record<string, ArtifactMeta>;
  /** What went wrong, as a sentence; null on success. */
  error: string | null;
  /**
   * The kind of failure, as a `Failure` record's `type` (see compiler/sem-types.ts): the Python exception's class
   * name when a `python` body raised one, else `ExitCode`, `Timeout`, `Killed`, `StartFailed`, `MissingOutput` or
   * `TypeMismatch`; null on success.
   */
  failureType: string | null;
  exitCode: number | null;
  logs: { stdout: string | null; stderr: string | null };
  /** The last lines of the last attempt's stderr (or stdout), for failure reports. */
  tail: string[];
  /** A `@parallel` step: nodes 1 to N-1 of the last attempt (node 0's logs are `logs`). */
  nodes?: NodeOutcome[];
}

/** One node of a gang other than node 0: its exit status and logs (its outputs are discarded). */
export interface NodeOutcome {
  rank: number;
  exitCode: number | null;
  logs: { stdout: string | null; stderr: string | null };
}

export interface TaskHooks {
  /** Called when an attempt failed and another follows. */
  onRetry?: (attempt: number, error: string) => void;
  /** Registers a running child so the runner can stop it on interruption; returns an unregister function. */
  track?: (pid: number) => () => void;
}

const KILL_GRACE_MS = 3000;

/**
 * The exception a Python script died of, from the last line of its traceback (`ZeroDivisionError: division by
 * zero`, `module.CustomError`, `KeyError: 'x'`); undefined when the output does not end in a traceback.
 */
export function pythonException(tail: readonly string[]): { type: string; message: string } | undefined {
  if (!tail.some((l) => l.startsWith('Traceback (most recent call last):') || /^\s+File "/.test(l))) return undefined;
  const last = [...tail].reverse().find((l) => l.trim() !== '');
  const m = last && /^([A-Za-z_][\w.]*)(?:: (.*))?$/.exec(last);
  if (!m) return undefined;
  return { type: m[1].slice(m[1].lastIndexOf('.') + 1), message: m[2] ?? '' };
}

async function bindValue(ds: Datastore, meta: ArtifactMeta, dir: string, name: string, cache: Map<string, unknown>): Promise<string> {
  if (meta.storage === 'value' && !meta.s3) return scalarText(await loadValue(ds, meta, cache));
  const path = join(dir, 'in', name);
  await materialize(ds, meta, path);
  return path;
}

interface AttemptResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  spawnError: string | null;
}

/**
 * Every task runs under this sh watchdog, as the leader of its own process group (`detached`), so that it dies
 * with the runner: Node cannot ask the kernel for a parent-death signal, so a background `read` on fd 3 (a pipe
 * whose other end only the runner holds) returns when the runner is gone, even after `kill -9`, and then kills the
 * whole group: the task and everything it started. The task itself does not get fd 3. Its exit status is passed
 * on, and a death by signal is passed on as that signal.
 */
const WATCHDOG = [
  '(while read -r _; do :; done <&3; kill -KILL 0) &',
  'watchdog=$!',
  'exec 3<&-',
  'if ! command -v "$1" >/dev/null 2>&1; then echo "flowc: could not start \'$1\': not found" >&2; kill "$watchdog"; exit 127; fi',
  '"$@"',
  'status=$?',
  'kill "$watchdog" 2>/dev/null',
  'if [ "$status" -gt 128 ] && [ "$status" -lt 160 ]; then kill -$((status - 128)) $$; fi',
  'exit "$status"',
].join('\n');

function runProcess(argv: string[], opts: { cwd: string; env: Record<string, string | undefined>; stdout: string; stderr: string; timeoutSeconds: number | null; hooks: TaskHooks }): Promise<AttemptResult> {
  return new Promise((resolve) => {
    const outFd = openSync(opts.stdout, 'a');
    const errFd = openSync(opts.stderr, 'a');
    let timedOut = false;
    let timer: NodeJS.Timeout | undefined;
    let killTimer: NodeJS.Timeout | undefined;
    let untrack: (() => void) | undefined;
    // fd 3 is the watchdog's pipe: the runner holds the other end for as long as it lives.
    const child = spawn('/bin/sh', ['-c', WATCHDOG, 'flowc-task', ...argv], { cwd: opts.cwd, env: opts.env, stdio: ['ignore', outFd, errFd, 'pipe'], detached: true });
    const finish = (res: AttemptResult) => {
      clearTimeout(timer);
      clearTimeout(killTimer);
      untrack?.();
      closeSync(outFd);
      closeSync(errFd);
      resolve(res);
    };
    child.once('error', (err) => finish({ exitCode: null, signal: null, timedOut: false, spawnError: `could not start '${argv[0]}': ${err.message}` }));
    child.once('exit', (code, signal) => finish({ exitCode: code, signal, timedOut, spawnError: null }));
    if (child.pid !== undefined) {
      const pid = child.pid;
      untrack = opts.hooks.track?.(pid);
      if (opts.timeoutSeconds !== null) {
        timer = setTimeout(() => {
          timedOut = true;
          killGroup(pid, 'SIGTERM');
          killTimer = setTimeout(() => killGroup(pid, 'SIGKILL'), KILL_GRACE_MS);
        }, opts.timeoutSeconds * 1000);
      }
    }
  });
}

/** Signals a task's whole process group (tasks are started as group leaders). */
export function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

async function lastLines(path: string, n: number): Promise<string[]> {
  try {
    const text = await readFile(path, 'utf8');
    const lines = text.replace(/\n$/, '').split('\n');
    return text ? lines.slice(-n) : [];
  } catch {
    return [];
  }
}

async function storeLog(ds: Datastore, path: string): Promise<string | null> {
  try {
    if ((await stat(path)).size === 0) return null;
  } catch {
    return null;
  }
  return ds.putFile(path);
}

/** The environment variables of a gang node (`@parallel`), the names `torch.distributed` reads. */
function gangEnv(rank: number, nodes: number, masterAddr: string, masterPort: number): Record<string, string> {
  return { RANK: String(rank), WORLD_SIZE: String(nodes), MASTER_ADDR: masterAddr, MASTER_PORT: String(masterPort) };
}

/** A TCP port of this machine that nothing listens on right now (for a gang's MASTER_PORT). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

interface NodeResult {
  rank: number;
  res: AttemptResult;
  stdout: string;
  stderr: string;
  dir: string;
}

/**
 * Runs a task to completion (all attempts). Never throws for task failures; IO errors of the datastore do throw.
 * A `@parallel(nodes: N)` step runs N processes of the body per attempt, each in its own directory with `RANK`,
 * `WORLD_SIZE`, `MASTER_ADDR` (127.0.0.1) and a free `MASTER_PORT`; node 0's outputs are the task's, the first
 * node to fail fails the task and stops the others.
 */
export async function executeTask(ds: Datastore, spec: TaskSpec, check: TypeChecker, hooks: TaskHooks = {}): Promise<TaskOutcome> {
  const { step } = spec;
  const attempts = (step.retry?.times ?? 0) + 1;
  const nodes = step.parallel?.nodes ?? 1;
  const valueCache = new Map<string, unknown>();
  let last: TaskOutcome | undefined;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const port = nodes > 1 ? await freePort() : 0;
    const prepared: { rank: number; dir: string; argv: string[]; env: Record<string, string | undefined> }[] = [];
    for (let rank = 0; rank < nodes; rank++) {
      const dir = join(spec.dir, rank === 0 ? String(attempt) : `${attempt}.node${rank}`);
      await mkdir(join(dir, 'in'), { recursive: true });
      await mkdir(join(dir, 'out'));
      const env: Record<string, string | undefined> = {
        ...spec.baseEnv,
        [TASK_DIR_VAR]: dir,
        FLOWC_FLOW: spec.flow,
        FLOWC_STEP: step.name,
        FLOWC_RUN_ID: spec.runId,
        FLOWC_TASK_ID: spec.taskId,
        FLOWC_ATTEMPT: String(attempt),
      };
      if (spec.foreachIndex !== null) env.FLOWC_FOREACH_INDEX = String(spec.foreachIndex);
      if (nodes > 1) Object.assign(env, gangEnv(rank, nodes, '127.0.0.1', port));
      for (const e of step.env) env[e.name] = e.value;
      for (const [name, meta] of Object.entries(spec.inputs)) env[inVar(name)] = await bindValue(ds, meta, dir, name, valueCache);
      for (const [name, meta] of Object.entries(spec.params)) env[paramVar(name)] = await bindValue(ds, meta, dir, `param.${name}`, valueCache);
      for (const o of step.outputs) env[outVar(o.name)] = join(dir, 'out', o.name);
      let argv: string[];
      if (step.body.kind === 'argv') argv = resolveArgv(step.body.args, env);
      else {
        const cmd = taskCommand(step);
        argv = cmd.argv;
        Object.assign(env, cmd.env);
      }
      prepared.push({ rank, dir, argv, env });
    }
    const dir = prepared[0].dir;
    let error: string | null = null;
    let failureType: string | null = null;
    let exitCode: number | null = 0;
    let failed: NodeResult | undefined;
    const results: NodeResult[] = [];
    if (step.body.kind !== 'none') {
      // The first node to fail stops the others: they would wait for it at the rendezvous until their deadline.
      const pids = new Map<number, number>();
      const track = (rank: number) => (pid: number) => {
        pids.set(rank, pid);
        const untrack = hooks.track?.(pid);
        return () => {
          pids.delete(rank);
          untrack?.();
        };
      };
      const runs = prepared.map(async (n): Promise<NodeResult> => {
        const stdout = join(n.dir, 'stdout.log');
        const stderr = join(n.dir, 'stderr.log');
        const res = await runProcess(n.argv, { cwd: spec.cwd, env: n.env, stdout, stderr, timeoutSeconds: step.timeoutSeconds, hooks: { ...hooks, track: track(n.rank) } });
        const result = { rank: n.rank, res, stdout, stderr, dir: n.dir };
        if (!failed && (res.spawnError || res.timedOut || res.signal || res.exitCode !== 0)) {
          failed = result;
          for (const pid of pids.values()) killGroup(pid, 'SIGTERM');
          setTimeout(() => {
            for (const pid of pids.values()) killGroup(pid, 'SIGKILL');
          }, KILL_GRACE_MS).unref();
        }
        return result;
      });
      results.push(...(await Promise.all(runs)));
      const f = failed ?? results[0];
      const res = f.res;
      exitCode = res.exitCode;
      const who = nodes > 1 ? `Step '${step.name}' node ${f.rank} of ${nodes}` : `Step '${step.name}'`;
      if (res.spawnError) (error = `${who} ${res.spawnError}.`), (failureType = 'StartFailed');
      else if (res.timedOut) (error = `${who} timed out after ${step.timeoutSeconds}s (@timeout) and was stopped.`), (failureType = 'Timeout');
      else if (res.signal) (error = `${who} was killed by ${res.signal}.`), (failureType = 'Killed');
      else if (res.exitCode !== 0) (error = `${who} exited with code ${res.exitCode}.`), (failureType = 'ExitCode');
    }
    const outputs: Record<string, ArtifactMeta> = {};
    if (!error) {
      for (const o of step.outputs) {
        const what = `Output '${o.name}' of step '${step.name}'`;
        const res = await readOutput(ds, join(dir, 'out', o.name), o.type, o.storage);
        if (!res.ok) {
          error = res.reason === 'missing' ? `${what} was not written (a declared output is missing).` : `${what} ${res.message}.`;
          failureType = res.reason === 'missing' ? 'MissingOutput' : 'TypeMismatch';
          break;
        }
        if (o.storage === 'value' || o.storage === 'json') {
          const reason = check(res.value, o.type);
          if (reason) {
            error = typeMismatchMessage(what, o.type, reason);
            failureType = 'TypeMismatch';
            break;
          }
        }
        outputs[o.name] = res.meta;
      }
    }
    const stdoutPath = join(dir, 'stdout.log');
    const stderrPath = join(dir, 'stderr.log');
    const logs = { stdout: await storeLog(ds, stdoutPath), stderr: await storeLog(ds, stderrPath) };
    const others: NodeOutcome[] = [];
    for (const r of results.slice(1)) others.push({ rank: r.rank, exitCode: r.res.exitCode, logs: { stdout: await storeLog(ds, r.stdout), stderr: await storeLog(ds, r.stderr) } });
    let tail: string[] = [];
    if (error) {
      const tailOf = failed ?? { stdout: stdoutPath, stderr: stderrPath };
      tail = await lastLines(tailOf.stderr, 10);
      if (failureType === 'ExitCode' && step.body.kind === 'script' && step.body.language === 'python') {
        const raised = pythonException(tail);
        if (raised) (failureType = raised.type), (error = `${error.slice(0, -1)}: ${raised.type}${raised.message ? `: ${raised.message}` : ''}.`);
      }
      if (tail.length === 0) tail = await lastLines(tailOf.stdout, 10);
    }
    last = { ok: !error, attempts: attempt, outputs: error ? {} : outputs, error, failureType, exitCode, logs, tail, ...(nodes > 1 ? { nodes: others } : {}) };
    for (const n of prepared) await rm(n.dir, { recursive: true, force: true });
    if (!error) return last;
    if (attempt < attempts) {
      hooks.onRetry?.(attempt, error);
      if (step.retry && step.retry.delaySeconds > 0) await new Promise((r) => setTimeout(r, step.retry!.delaySeconds * 1000));
    }
  }
  return last!;
}
