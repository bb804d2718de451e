/**
 * Reading finished runs back: artifacts by name, and a run's summary (steps, tasks, timings, artifacts).
 * Shared by `flowc show`/`flowc get`, `flowc serve` and the client API.
 */
import { irJson, type FlowIR } from '../../compiler/ir.ts';
import { didYouMean, suggest } from '../../diagnostics/suggest.ts';
import { describeType } from '../protocol/index.ts';
import { loadValue } from './artifacts.ts';
import type { Datastore } from './datastore.ts';
import { readIR, readTask, readTasks, splitTaskId, type ArtifactMeta, type RunRecord, type TaskRecord } from './records.ts';

export class NotFound extends Error {}

export interface ArtifactHit {
  step: string | null;
  /** Task ids, in order; several for a foreach step (the value is then the list of their values). */
  tasks: string[];
  metas: ArtifactMeta[];
  /** True when one value per task was gathered into a list. */
  many: boolean;
}

/**
 * Finds artifact `name` of a run: in the given step (and task), else in the flow's results, else in the last step
 * (topological order) that produced it, else among the parameters.
 */
export async function findArtifact(ds: Datastore, run: RunRecord, name: string, where: { step?: string; task?: string } = {}): Promise<ArtifactHit> {
  if (where.step && where.task) {
    const rec = await readTask(ds, run.flow, run.id, where.step, where.task);
    if (!rec) throw new NotFound(`Run ${run.flow}/${run.id} has no task ${where.step}/${where.task}.`);
    const meta = rec.outputs[name] ?? rec.inputs[name];
    const names = Object.keys({ ...rec.inputs, ...rec.outputs });
    if (!meta) throw new NotFound(`Task ${where.step}/${where.task} of run ${run.flow}/${run.id} has no artifact '${name}' (it has: ${names.join(', ') || 'none'}).${didYouMean(suggest(name, names))}`);
    return { step: where.step, tasks: [rec.id], metas: [meta], many: false };
  }
  const tasks = await readTasks(ds, run.flow, run.id);
  const ir = await readIR(ds, run.flow, run.id);
  const order = ir ? ir.steps.map((s) => s.name) : [...tasks.keys()];
  const pick = (step: string): ArtifactHit | null => {
    const recs = latestIterations((tasks.get(step) ?? []).filter((r) => r.outputs[name]));
    if (!recs.length) return null;
    const isForeach = ir?.steps.find((s) => s.name === step)?.foreachStack.length ?? (recs.length > 1 ? 1 : 0);
    return { step, tasks: recs.map((r) => r.id), metas: recs.map((r) => r.outputs[name]), many: isForeach > 0 };
  };
  if (where.step) {
    const hit = pick(where.step);
    if (!hit) {
      const step = where.step;
      if (!tasks.has(step)) throw new NotFound(`Run ${run.flow}/${run.id} has no step '${step}'.${didYouMean(suggest(step, order))}`);
      const outputs = new Set((tasks.get(step) ?? []).flatMap((r) => Object.keys(r.outputs)));
      throw new NotFound(`Step '${step}' of run ${run.flow}/${run.id} has no output '${name}'.${didYouMean(suggest(name, outputs))}`);
    }
    return hit;
  }
  const result = ir?.results.find((r) => r.name === name);
  const hit = (result && pick(result.step)) ?? [...order].reverse().map(pick).find((h) => h !== null);
  if (hit) return hit;
  if (run.params[name]) return { step: null, tasks: [], metas: [run.params[name]], many: false };
  const known = new Set([...order.flatMap((step) => (tasks.get(step) ?? []).flatMap((r) => Object.keys(r.outputs))), ...Object.keys(run.params)]);
  throw new NotFound(`Run ${run.flow}/${run.id} has no artifact '${name}'.${didYouMean(suggest(name, known))}`);
}

/** Of the tasks of a bounded loop's step (`0`, `0r1`, `0r2`), the latest iteration's: its value is the one after the loop. */
function latestIterations<T extends { id: string }>(recs: T[]): T[] {
  const latest = new Map<string, T>();
  for (const r of recs) {
    const { base, iteration } = splitTaskId(r.id);
    const prior = latest.get(base);
    if (!prior || splitTaskId(prior.id).iteration < iteration) latest.set(base, r);
  }
  return [...latest.values()];
}

/** The JSON value of a hit (file/dir artifacts are described, not read). */
export async function artifactValue(ds: Datastore, hit: ArtifactHit): Promise<unknown> {
  const one = async (m: ArtifactMeta): Promise<unknown> =>
    m.storage === 'value' || m.storage === 'json' ? loadValue(ds, m) : { [m.storage]: m.s3 ?? `sha256:${m.sha}` };
  const values = await Promise.all(hit.metas.map(one));
  return hit.many ? values : values[0];
}

export interface TaskSummary {
  id: string;
  status: string;
  seconds: number;
  attempts: number;
  reusedFrom?: string;
  error: string | null;
  artifacts: Record<string, { type: string; value?: unknown }>;
}

export interface RunSummary {
  flow: string;
  id: string;
  status: string;
  namespace: string;
  tags: string[];
  startedAt: string;
  finishedAt: string | null;
  seconds: number | null;
  resumedFrom: RunRecord['resumedFrom'];
  failed: RunRecord['failed'];
  params: Record<string, unknown>;
  steps: { name: string; next: string; tasks: TaskSummary[] }[];
}

function describe(ir: FlowIR | null, step: string): string {
  const next = ir?.steps.find((s) => s.name === step)?.next;
  if (!next) return '';
  switch (next.kind) {
    case 'end':
      return '';
    case 'linear':
      return next.to;
    case 'split':
      return next.to.join(', ');
    case 'foreach':
      return `${next.to} foreach ${next.item} in ${next.list}`;
    case 'switch':
      return `switch ${next.on} { ${[...next.cases.map((c) => `${irJson(c.value)} -> ${c.to}`), ...(next.default ? [`else -> ${next.default}`] : [])].join(', ')} }`;
  }
}

function taskSummary(rec: TaskRecord): TaskSummary {
  const artifacts: TaskSummary['artifacts'] = {};
  for (const [name, meta] of Object.entries(rec.outputs)) {
    artifacts[name] = { type: describeType(meta.type) };
    if (meta.value !== undefined) artifacts[name].value = meta.value;
  }
  return {
    id: rec.id,
    status: rec.caught ? 'caught' : rec.status,
    seconds: (Date.parse(rec.finishedAt) - Date.parse(rec.startedAt)) / 1000,
    attempts: rec.attempts,
    ...(rec.reusedFrom ? { reusedFrom: rec.reusedFrom } : {}),
    error: rec.error,
    artifacts,
  };
}

export async function runSummary(ds: Datastore, run: RunRecord, status: string, onlyStep?: string): Promise<RunSummary> {
  const ir = await readIR(ds, run.flow, run.id);
  const tasks = await readTasks(ds, run.flow, run.id);
  const names = ir ? ir.steps.map((s) => s.name) : [...tasks.keys()];
  const steps: RunSummary['steps'] = [];
  for (const name of names) {
    if (onlyStep && name !== onlyStep) continue;
    steps.push({ name, next: describe(ir, name), tasks: (tasks.get(name) ?? []).map(taskSummary) });
  }
  const params: Record<string, unknown> = {};
  for (const [k, m] of Object.entries(run.params)) params[k] = m.storage === 'value' || m.storage === 'json' ? await loadValue(ds, m) : (m.s3 ?? `sha256:${m.sha}`);
  return {
    flow: run.flow,
    id: run.id,
    status,
    namespace: run.namespace,
    tags: run.tags,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    seconds: run.finishedAt ? (Date.parse(run.finishedAt) - Date.parse(run.startedAt)) / 1000 : null,
    resumedFrom: run.resumedFrom,
    failed: run.failed,
    params,
    steps,
  };
}
