/**
 * The local scheduler: runs a flow's IR on this machine, task by task, as child processes.
 *
 * Model: a task is a step at a foreach index vector (`idx`, one index per enclosing foreach, outermost first).
 * A task becomes ready when all its arrivals came in: one for an ordinary step (whichever switch case ran), one
 * per branch for a split's join, one per element for a foreach's join. Finished tasks send arrivals to their
 * successors (a foreach fans out one task per list element, a switch picks one case). Ready tasks run in
 * parallel up to `maxWorkers`, in the order they became ready.
 *
 * Inputs are resolved through lineage: every task records its parents, and an artifact input takes the value of
 * the nearest ancestor task whose step is one of the input's producers (see `InputSourceIR`).
 *
 * Invariant: a task record is written after all its artifacts; a run record says `running` until the end.
 * Invariant: after the first uncaught failure no new task starts; running tasks finish and are recorded.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { irJson, type FlowIR, type InputIR, type StepIR } from '../../compiler/ir.ts';
import { loadValue, storeValue } from './artifacts.ts';
import type { Datastore } from './datastore.ts';
import { irDocKey, newRunId, runDocKey, taskDocKey, type ArtifactMeta, type RunRecord, type TaskRecord } from './records.ts';
import { stepHashes } from './step-hash.ts';
import { executeTask, killGroup, templateParams } from './task.ts';
import type { TypeChecker } from './validate.ts';

export interface RunReporter {
  runStarted(run: RunRecord, ir: FlowIR): void;
  taskStarted(step: string, task: string): void;
  taskRetry(step: string, task: string, attempt: number, error: string): void;
  taskFinished(record: TaskRecord): void;
  runFinished(run: RunRecord): void;
}

/** What resume carries over from an earlier run. */
export interface ResumePlan {
  origin: RunRecord;
  /** The earlier run's task records by `step/task`. */
  tasks: Map<string, TaskRecord>;
  /** The step resume restarts from. */
  fromStep: string;
  /** Steps that must run again: `fromStep`, steps whose code changed, and everything downstream of them. */
  rerun: Set<string>;
}

export interface RunOptions {
  ir: FlowIR;
  ds: Datastore;
  params: Record<string, ArtifactMeta>;
  check: TypeChecker;
  /** Absolute path of the flow file; tasks run in its directory. */
  sourceFile: string;
  namespace: string;
  tags: string[];
  maxWorkers: number;
  env: Record<string, string | undefined>;
  reporter: RunReporter;
  resume?: ResumePlan;
  /** Aborting stops running tasks and fails the run. */
  signal?: AbortSignal;
  /** For tests: a fixed run id. */
  runId?: string;
}

export interface RunOutcome {
  run: RunRecord;
  /** The first task that failed (uncaught), with its last log lines. */
  failed: { record: TaskRecord; tail: string[] } | null;
}

interface Node {
  step: StepIR;
  idx: number[];
  /** The iteration of a bounded loop's step (0 outside loops and on the first); part of the task id after `r`. */
  iter: number;
  id: string;
  key: string;
  arrivals: { key: string; order: number }[];
  needed: number;
}

const taskIdOf = (idx: number[]): string => (idx.length ? idx.join('.') : '0');

/** Steps reachable from `from` (itself included), following edges. */
export function downstreamOf(ir: FlowIR, from: string): Set<string> {
  const res = new Set<string>([from]);
  const todo = [from];
  while (todo.length) {
    const s = todo.pop()!;
    for (const e of ir.edges) if (e.from === s && !res.has(e.to)) (res.add(e.to), todo.push(e.to));
  }
  return res;
}

export async function runFlow(opts: RunOptions): Promise<RunOutcome> {
  const { ir, ds, reporter, check } = opts;
  const steps = new Map(ir.steps.map((s) => [s.name, s]));
  const step = (name: string): StepIR => {
    const s = steps.get(name);
    if (!s) throw new Error(`The IR names unknown step '${name}'.`);
    return s;
  };
  const runId = opts.runId ?? newRunId(new Date(), randomBytes(2).toString('hex'));
  const run: RunRecord = {
    id: runId,
    flow: ir.name,
    namespace: opts.namespace,
    tags: opts.tags,
    status: 'running',
    startedAt: new Date().toISOString(),
    finishedAt: null,
    params: opts.params,
    sourceFile: opts.sourceFile,
    stepHashes: stepHashes(ir),
    resumedFrom: opts.resume ? { run: opts.resume.origin.id, step: opts.resume.fromStep } : null,
    host: hostname(),
    pid: process.pid,
    failed: null,
  };
  await ds.writeDoc(irDocKey(ir.name, runId), irJson(ir));
  await ds.writeDoc(runDocKey(ir.name, runId), JSON.stringify(run, null, 2));
  reporter.runStarted(run, ir);

  const scratch = await mkdtemp(join(tmpdir(), `flowc-${runId}-`));
  const cwd = dirname(opts.sourceFile);
  const records = new Map<string, TaskRecord>();
  const pending = new Map<string, Node>();
  const ready: Node[] = [];
  const livePids = new Set<number>();
  const valueCache = new Map<string, unknown>();
  let failed: RunOutcome['failed'] = null;
  let fatal: unknown = null;
  let interrupted = false;

  const onAbort = () => {
    interrupted = true;
    for (const pid of livePids) killGroup(pid, 'SIGTERM');
  };
  opts.signal?.addEventListener('abort', onAbort, { once: true });

  const makeNode = (s: StepIR, idx: number[], needed: number, iter = 0): Node => {
    const id = taskIdOf(idx) + (iter > 0 ? `r${iter}` : '');
    return { step: s, idx, iter, id, key: `${s.name}/${id}`, arrivals: [], needed };
  };

  /** Bounded loops: each step of a loop → the switching step with `loop`. */
  const loopOf = new Map<string, StepIR>();
  for (const s of ir.steps) for (const b of s.loop?.body ?? []) loopOf.set(b, s);
  /** The iteration of the task of `to` that `from` leads to: one more when the switch goes back, the same inside the loop, else 0. */
  const iterOf = (from: Node, to: string): number => {
    const loop = loopOf.get(to);
    if (!loop || loopOf.get(from.step.name) !== loop) return 0;
    return from.step === loop ? from.iter + 1 : from.iter;
  };

  const neededArrivals = (s: StepIR, idx: number[]): number => {
    if (!s.joins) return 1;
    const origin = step(s.joins);
    if (origin.next.kind === 'split') return origin.next.to.length;
    if (origin.next.kind === 'foreach') return records.get(`${origin.name}/${taskIdOf(idx)}`)?.foreachCount ?? 0;
    return 1;
  };

  /** The branch (index in the split's `next`) a task belongs to, found by walking up its first parents. */
  const branchOf = (key: string, split: StepIR, splitKey: string): number => {
    let cur = records.get(key);
    while (cur) {
      const parent = cur.parents[0];
      if (parent === splitKey) return split.next.kind === 'split' ? split.next.to.indexOf(cur.step) : 0;
      cur = parent ? records.get(parent) : undefined;
    }
    return 0;
  };

  const arrive = (toName: string, fromIdx: number[], fromKey: string, iter = 0): void => {
    const to = step(toName);
    const idx = fromIdx.slice(0, to.foreachStack.length);
    const key = `${to.name}/${taskIdOf(idx)}${iter > 0 ? `r${iter}` : ''}`;
    let node = pending.get(key);
    if (!node) {
      node = makeNode(to, idx, neededArrivals(to, idx), iter);
      pending.set(key, node);
    }
    let order = 0;
    if (to.joins) {
      const origin = step(to.joins);
      if (origin.next.kind === 'foreach') order = fromIdx[to.foreachStack.length] ?? 0;
      else if (origin.next.kind === 'split') order = branchOf(fromKey, origin, `${origin.name}/${taskIdOf(idx)}`);
    }
    node.arrivals.push({ key: fromKey, order });
    if (node.arrivals.length >= node.needed) {
      pending.delete(key);
      ready.push(node);
    }
  };

  const sendOn = (node: Node, rec: TaskRecord): void => {
    const next = node.step.next;
    switch (next.kind) {
      case 'end':
        return;
      case 'linear':
        return arrive(next.to, node.idx, node.key, iterOf(node, next.to));
      case 'split':
        for (const to of next.to) arrive(to, node.idx, node.key);
        return;
      case 'foreach': {
        const count = rec.foreachCount ?? 0;
        if (count === 0) {
          const join = makeNode(step(next.join), node.idx, 0);
          join.arrivals.push({ key: node.key, order: 0 });
          ready.push(join);
          return;
        }
        for (let i = 0; i < count; i++) arrive(next.to, [...node.idx, i], node.key);
        return;
      }
      case 'switch':
        if (rec.switchTo) arrive(rec.switchTo, node.idx, node.key, iterOf(node, rec.switchTo));
        return;
    }
  };

  /** The nearest ancestor (breadth-first from `start`, inclusive) whose step is a producer of `name`. */
  const nearest = (start: string[], producers: string[]): TaskRecord | null => {
    const seen = new Set<string>();
    const queue = [...start];
    for (let i = 0; i < queue.length; i++) {
      const key = queue[i];
      if (seen.has(key)) continue;
      seen.add(key);
      const rec = records.get(key);
      if (!rec) continue;
      if (producers.includes(rec.step)) return rec;
      queue.push(...rec.parents);
    }
    return null;
  };

  const absentReason = (rec: TaskRecord | null, name: string, consumer: string): string =>
    rec
      ? `Input '${name}' of step '${consumer}' is absent: step '${rec.step}' failed and @catch recorded it (${rec.error ?? 'no output'}).`
      : `Input '${name}' of step '${consumer}' has no producer among the task's ancestors.`;

  /** The value of `name` visible at a finished task after its body ran: its output, else its input. */
  const visibleAfter = (rec: TaskRecord, name: string): ArtifactMeta | undefined => rec.outputs[name] ?? rec.inputs[name];

  const fromProducer = async (rec: TaskRecord | null, input: InputIR, artifact: string, consumer: string): Promise<ArtifactMeta> => {
    const meta = rec?.outputs[artifact];
    if (meta) return meta;
    if (input.type.kind === 'optional') return storeValue(ds, null, input.type, input.storage);
    throw new Error(absentReason(rec, artifact, consumer));
  };

  /** One element of a gather: the producer's value, or null for a task @catch recorded when the element type is optional. */
  const gathered = async (rec: TaskRecord | null, input: InputIR, artifact: string, consumer: string): Promise<unknown> => {
    const meta = rec?.outputs[artifact];
    if (meta) return loadValue(ds, meta, valueCache);
    if (rec?.caught && input.type.kind === 'list' && input.type.element.kind === 'optional') return null;
    throw new Error(absentReason(rec, artifact, consumer));
  };

  const resolveInput = async (node: Node, parents: string[], input: InputIR): Promise<ArtifactMeta> => {
    const from = input.from;
    const s = node.step;
    switch (from.kind) {
      case 'param': {
        const meta = opts.params[from.param];
        if (!meta) throw new Error(`Parameter '${from.param}' has no value.`);
        return meta;
      }
      case 'artifact':
        return fromProducer(nearest(parents, from.producers), input, from.artifact, s.name);
      case 'pick': {
        const branch = parents.find((p) => records.get(p)?.step === from.from) ?? parents[0];
        return fromProducer(nearest([branch], from.producers), input, from.artifact, s.name);
      }
      case 'item': {
        const pos = s.foreachStack.indexOf(from.foreach);
        const fanKey = `${from.foreach}/${taskIdOf(node.idx.slice(0, pos))}`;
        const fan = records.get(fanKey);
        const listMeta = fan && visibleAfter(fan, from.list);
        if (!listMeta) throw new Error(`The foreach list '${from.list}' of step '${from.foreach}' is missing.`);
        const list = (await loadValue(ds, listMeta, valueCache)) as unknown[];
        return storeValue(ds, list[node.idx[pos]], input.type, input.storage);
      }
      case 'gather': {
        const values: unknown[] = [];
        if (from.over === 'foreach') {
          const origin = step(s.joins!);
          const count = records.get(`${origin.name}/${taskIdOf(node.idx)}`)?.foreachCount ?? 0;
          for (let i = 0; i < count; i++) values.push(await gathered(nearest([parents[i]], from.branches[0].producers), input, from.artifact, s.name));
        } else {
          for (let k = 0; k < from.branches.length; k++) {
            const rec = nearest(parents[k] !== undefined ? [parents[k]] : parents, from.branches[k].producers);
            values.push(await gathered(rec, input, from.artifact, s.name));
          }
        }
        return storeValue(ds, values, input.type, input.storage);
      }
    }
  };

  const writeRecord = async (rec: TaskRecord): Promise<void> => {
    await ds.writeDoc(taskDocKey(ir.name, runId, rec.step, rec.id), JSON.stringify(rec));
    records.set(`${rec.step}/${rec.id}`, rec);
  };

  const canReuse = (node: Node, parents: string[]): TaskRecord | null => {
    const plan = opts.resume;
    if (!plan || plan.rerun.has(node.step.name)) return null;
    const orig = plan.tasks.get(node.key);
    if (!orig || orig.status !== 'done' || orig.error) return null;
    if (orig.parents.length !== parents.length || orig.parents.some((p, i) => p !== parents[i])) return null;
    if (!parents.every((p) => records.get(p)?.reusedFrom)) return null;
    return orig;
  };

  /** After a successful body: the foreach count or the switch case. Returns an error sentence or null. */
  const route = async (s: StepIR, rec: TaskRecord, node: Node): Promise<string | null> => {
    const next = s.next;
    if (next.kind === 'foreach') {
      const meta = visibleAfter(rec, next.list);
      const list = meta ? await loadValue(ds, meta, valueCache) : undefined;
      if (!Array.isArray(list)) return `The foreach list '${next.list}' of step '${s.name}' is not a list.`;
      rec.foreachCount = list.length;
    } else if (next.kind === 'switch') {
      const meta = visibleAfter(rec, next.on);
      const value = meta ? await loadValue(ds, meta, valueCache) : undefined;
      const hit = next.cases.find((c) => c.value === value);
      const to = hit?.to ?? next.default;
      if (!to) return `Switch on '${next.on}' in step '${s.name}' has no case for ${irJson(value)} and no else.`;
      if (s.loop?.body.includes(to) && node.iter + 1 >= s.loop.max) {
        return `Step '${s.name}' went back to '${to}' after ${node.iter + 1} iteration${node.iter ? 's' : ''} of its loop, but @loop(max: ${s.loop.max}) allows at most ${s.loop.max}.`;
      }
      rec.switchTo = to;
    }
    return null;
  };

  const processNode = async (node: Node): Promise<void> => {
    const parents = [...node.arrivals].sort((a, b) => a.order - b.order).map((a) => a.key);
    const reusable = canReuse(node, parents);
    if (reusable) {
      const rec: TaskRecord = { ...reusable, parents, reusedFrom: reusable.reusedFrom ?? `${opts.resume!.origin.id}/${node.key}` };
      await writeRecord(rec);
      reporter.taskFinished(rec);
      sendOn(node, rec);
      return;
    }
    const s = node.step;
    const startedAt = new Date().toISOString();
    const rec: TaskRecord = {
      step: s.name,
      id: node.id,
      status: 'done',
      startedAt,
      finishedAt: startedAt,
      attempts: 0,
      parents,
      inputs: {},
      outputs: {},
      logs: { stdout: null, stderr: null },
      error: null,
    };
    let tail: string[] = [];
    let failureType: string | null = 'InputMissing';
    try {
      for (const input of s.inputs) rec.inputs[input.name] = await resolveInput(node, parents, input);
    } catch (err) {
      rec.status = 'failed';
      rec.error = (err as Error).message;
    }
    if (rec.status === 'done') {
      reporter.taskStarted(s.name, node.id);
      const params: Record<string, ArtifactMeta> = {};
      for (const p of templateParams(s)) if (opts.params[p]) params[p] = opts.params[p];
      const outcome = await executeTask(
        ds,
        {
          flow: ir.name,
          runId,
          step: s,
          taskId: node.id,
          foreachIndex: node.idx.length ? node.idx[node.idx.length - 1] : null,
          inputs: rec.inputs,
          params,
          dir: join(scratch, `${s.name}.${node.id}`),
          cwd,
          baseEnv: opts.env,
        },
        check,
        {
          onRetry: (attempt, error) => reporter.taskRetry(s.name, node.id, attempt, error),
          track: (pid) => {
            livePids.add(pid);
            return () => livePids.delete(pid);
          },
        },
      );
      rec.attempts = outcome.attempts;
      rec.outputs = outcome.outputs;
      rec.logs = outcome.logs;
      rec.exitCode = outcome.exitCode;
      rec.error = outcome.error;
      if (outcome.nodes) rec.nodes = outcome.nodes;
      failureType = outcome.failureType;
      tail = outcome.tail;
      if (!outcome.ok) rec.status = 'failed';
      else {
        const routeError = await route(s, rec, node);
        if (routeError) {
          rec.status = 'failed';
          rec.error = routeError;
          failureType = 'RouteFailed';
        }
      }
    }
    if (interrupted && rec.status === 'failed') rec.error = `Interrupted: ${rec.error}`;
    if (s.catch && !interrupted) {
      const failure = rec.status === 'failed' ? { type: failureType ?? 'Failed', message: rec.error ?? 'failed', attempts: rec.attempts, exit_code: rec.exitCode ?? null } : null;
      if (rec.status === 'failed') {
        rec.caught = true;
        if (s.next.kind === 'foreach') rec.foreachCount = 0;
      }
      rec.outputs[s.catch.var] = await storeValue(ds, failure, { kind: 'json' }, 'json');
    }
    rec.finishedAt = new Date().toISOString();
    await writeRecord(rec);
    reporter.taskFinished(rec);
    if (rec.status === 'failed' && !(rec.caught && s.next.kind !== 'switch')) {
      failed ??= { record: rec, tail };
      return;
    }
    sendOn(node, rec);
  };

  ready.push(makeNode(step(ir.steps[0]?.name ?? 'start'), [], 0));
  // The machine's workers, and `@max_workers` on the flow (the whole run) and on foreach steps (each fan-out:
  // the tasks running inside one call of it, nested foreach tasks included, as Argo counts a template's pods).
  const maxWorkers = Math.max(1, Math.min(opts.maxWorkers, ir.maxWorkers ?? Infinity));
  const bounded = ir.steps.some((s) => s.maxWorkers !== undefined);
  const inUse = new Map<string, number>();
  const boundsOf = (node: Node): [string, number][] =>
    node.step.foreachStack.flatMap((f, depth): [string, number][] => {
      const cap = step(f).maxWorkers;
      return cap === undefined ? [] : [[`${f}/${node.idx.slice(0, depth).join('.')}`, cap]];
    });
  const fits = (node: Node): boolean => boundsOf(node).every(([key, cap]) => (inUse.get(key) ?? 0) < cap);
  const hold = (node: Node, by: number): void => {
    for (const [key] of boundsOf(node)) inUse.set(key, (inUse.get(key) ?? 0) + by);
  };
  await new Promise<void>((resolveAll) => {
    let active = 0;
    const pump = (): void => {
      while (!failed && !fatal && !interrupted && active < maxWorkers && ready.length) {
        const at = bounded ? ready.findIndex(fits) : 0;
        if (at < 0) break;
        const node = ready.splice(at, 1)[0];
        active++;
        hold(node, 1);
        const done = (): void => {
          active--;
          hold(node, -1);
          pump();
        };
        processNode(node).then(done, (err) => {
          fatal ??= err;
          done();
        });
      }
      if (active === 0) resolveAll();
    };
    pump();
  });
  opts.signal?.removeEventListener('abort', onAbort);
  await rm(scratch, { recursive: true, force: true });

  const fail = failed as RunOutcome['failed'];
  run.finishedAt = new Date().toISOString();
  run.status = fail || fatal || interrupted ? 'failed' : 'done';
  if (fail) run.failed = { step: fail.record.step, task: fail.record.id, message: fail.record.error ?? 'failed' };
  else if (interrupted) run.failed = { step: '', task: '', message: 'The run was interrupted.' };
  else if (fatal) run.failed = { step: '', task: '', message: `Internal error: ${(fatal as Error).message ?? String(fatal)}` };
  await ds.writeDoc(runDocKey(ir.name, runId), JSON.stringify(run, null, 2));
  reporter.runFinished(run);
  if (fatal && !fail) throw fatal;
  return { run, failed: fail };
}
