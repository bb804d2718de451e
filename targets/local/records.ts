/**
 * Run and task records: the metadata documents of a run, how they are keyed in a datastore, and how runs are
 * found again (by id, or `latest` within a namespace).
 */
import { parseJson } from '../protocol/json64.ts';
import { userInfo } from 'node:os';
import type { FlowIR, JsonValue, StorageIR, TypeIR } from '../../compiler/ir.ts';
import type { Datastore } from './datastore.ts';

export type RunStatus = 'running' | 'done' | 'failed';

export interface RunRecord {
  id: string;
  flow: string;
  namespace: string;
  tags: string[];
  status: RunStatus;
  /** ISO timestamps; `finishedAt` is null while running. */
  startedAt: string;
  finishedAt: string | null;
  /** Parameter values as given (file/dir: see `ArtifactMeta`). */
  params: Record<string, ArtifactMeta>;
  /** The flow file, absolute, so `flowc resume` can reload it and notice changed steps. */
  sourceFile: string;
  /** Content hash of every step's definition (body, I/O, decorators), used by resume. */
  stepHashes: Record<string, string>;
  /** Set for a resumed run: the run it continues and the step it restarted from. */
  resumedFrom: { run: string; step: string } | null;
  /**
   * Host and pid of the local runner, to tell a live run from one that was killed. A run on Argo or Batch has pid 0
   * and the engine as host (`argo-workflows`, `aws-batch`): no process on this host watches it, and its status
   * comes from its records (`settleRun`).
   */
  host: string;
  pid: number;
  /** The failed task, when the run failed. */
  failed: { step: string; task: string; message: string } | null;
}

/**
 * An artifact as stored: its content object and how to read it.
 * `value`/`json`: `sha` names the JSON text; `file`: the file bytes; `dir`: a JSON manifest of the tree
 * (`{"files": [{"path", "sha"}]}`); `s3`: not copied, downloaded when a task needs it.
 */
export interface ArtifactMeta {
  storage: StorageIR;
  type: TypeIR;
  sha?: string;
  s3?: string;
  /** Small scalar values are kept inline too, so listings need no extra reads. */
  value?: JsonValue;
}

export type TaskStatus = 'done' | 'failed';

export interface TaskRecord {
  step: string;
  /** `0` outside any foreach; else the foreach indices, outermost first, joined by `.` (e.g. `3`, `1.4`). */
  id: string;
  status: TaskStatus;
  startedAt: string;
  finishedAt: string;
  attempts: number;
  /** The tasks this one came from (`step/task`), in order (for a foreach join: in list order). */
  parents: string[];
  inputs: Record<string, ArtifactMeta>;
  outputs: Record<string, ArtifactMeta>;
  /** For a foreach step: the number of elements it fanned out to. For a switch: the case taken. */
  foreachCount?: number;
  switchTo?: string;
  /** Log objects (sha of stdout and stderr of the last attempt). */
  logs: { stdout: string | null; stderr: string | null };
  /** Set when the task failed, or failed and was caught by `@catch`. */
  error: string | null;
  caught?: boolean;
  /** Set when the task was not run but taken over from an earlier run by resume (`run/step/task`). */
  reusedFrom?: string;
  exitCode?: number | null;
  /** A `@parallel` step (local runs): nodes 1 to N-1, their exit status and logs; node 0's are the task's own. */
  nodes?: { rank: number; exitCode: number | null; logs: { stdout: string | null; stderr: string | null } }[];
}

const runKey = (flow: string, run: string): string => `runs/${flow}/${run}`;
export const runDocKey = (flow: string, run: string): string => `${runKey(flow, run)}/run.json`;
export const irDocKey = (flow: string, run: string): string => `${runKey(flow, run)}/ir.json`;
/**
 * Written by an engine's failure path when a task died without its runtime recording it (killed, out of memory):
 * the Step Functions Catch, Argo's exit handler. Optional (see `settleRun`).
 */
const failureDocKey = (flow: string, run: string): string => `${runKey(flow, run)}/failure.json`;
export const taskDocKey = (flow: string, run: string, step: string, task: string): string => `${runKey(flow, run)}/tasks/${step}/${task}.json`;

/** The default namespace: `user:<name>` from `USER`/`USERNAME`. */
export function defaultNamespace(env: Record<string, string | undefined>): string {
  return `user:${env.USER ?? env.USERNAME ?? env.LOGNAME ?? accountName() ?? 'unknown'}`;
}

/** The account name from the system when no environment variable names the user (e.g. in containers). */
function accountName(): string | undefined {
  try {
    return userInfo().username || undefined;
  } catch {
    return undefined;
  }
}

/** A new run id: sortable by start time, with a random suffix against collisions (`20260314T153012-7f3a`). */
export function newRunId(now: Date, random: string): string {
  const iso = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, '');
  return `${iso}-${random}`;
}

export interface FailureRecord {
  step?: string;
  task?: string;
  /** The engine's error name (`States.TaskFailed`, `OOMKilled`, ...) and its details. */
  error?: string;
  cause?: string;
  finishedAt?: string;
}

const CAUSE_LIMIT = 300;

function failureOf(rec: FailureRecord): NonNullable<RunRecord['failed']> {
  const cause = rec.cause ? (rec.cause.length > CAUSE_LIMIT ? `${rec.cause.slice(0, CAUSE_LIMIT)}...` : rec.cause) : '';
  return { step: rec.step ?? '', task: rec.task ?? '', message: [rec.error, cause].filter(Boolean).join(': ') || 'The engine reported a failure.' };
}

/** A run record with its status settled from the other records (see `settleRun`); null when there is none. */
export async function readRun(ds: Datastore, flow: string, run: string): Promise<RunRecord | null> {
  const text = await ds.readDoc(runDocKey(flow, run));
  return text === null ? null : settleRun(ds, JSON.parse(text) as RunRecord);
}

/** A task failure that ends the run: uncaught, or caught in a switch step (no case can be taken). */
function endsRun(rec: TaskRecord, ir: FlowIR | null): boolean {
  if (rec.status !== 'failed') return false;
  return !rec.caught || ir?.steps.find((s) => s.name === rec.step)?.next.kind === 'switch';
}

/**
 * The status of a run recorded as `running`, from the records written since: a task on Argo or Batch writes
 * run.json when the run starts and when it ends, but a task that dies (killed, out of memory) cannot, and nothing
 * watches the run from this host. In order: the engine's failure record (`failure.json`: `failed`); a finished
 * task of the end step (`done`); a task failure that ends the run (`failed`, naming the task); else still
 * `running`. A run recorded as done or failed is returned as it is.
 */
async function settleRun(ds: Datastore, run: RunRecord): Promise<RunRecord> {
  if (run.status !== 'running') return run;
  const failureText = await ds.readDoc(failureDocKey(run.flow, run.id));
  if (failureText !== null) {
    const failure = JSON.parse(failureText) as FailureRecord;
    return { ...run, status: 'failed', finishedAt: failure.finishedAt ?? null, failed: failureOf(failure) };
  }
  const ir = await readIR(ds, run.flow, run.id);
  const ends = ir ? ir.steps.filter((s) => s.next.kind === 'end' && s.foreachStack.length === 0).map((s) => s.name) : [];
  for (const end of ends) {
    const rec = await readTask(ds, run.flow, run.id, end, '0');
    if (rec && !endsRun(rec, ir)) return { ...run, status: 'done', finishedAt: rec.finishedAt };
  }
  const failures = [...(await readTasks(ds, run.flow, run.id)).values()].flat().filter((r) => endsRun(r, ir));
  if (failures.length) {
    const first = failures.sort((a, b) => (a.finishedAt < b.finishedAt ? -1 : a.finishedAt > b.finishedAt ? 1 : 0))[0];
    return { ...run, status: 'failed', finishedAt: first.finishedAt, failed: { step: first.step, task: first.id, message: first.error ?? 'failed' } };
  }
  return run;
}

export async function readIR(ds: Datastore, flow: string, run: string): Promise<FlowIR | null> {
  const text = await ds.readDoc(irDocKey(flow, run));
  return text === null ? null : (parseJson(text) as FlowIR);
}

export async function readTask(ds: Datastore, flow: string, run: string, step: string, task: string): Promise<TaskRecord | null> {
  const text = await ds.readDoc(taskDocKey(flow, run, step, task));
  return text === null ? null : (parseJson(text) as TaskRecord);
}

/** Every task record of a run, by step, tasks in index order. */
export async function readTasks(ds: Datastore, flow: string, run: string): Promise<Map<string, TaskRecord[]>> {
  const res = new Map<string, TaskRecord[]>();
  for (const step of await ds.list(`${runKey(flow, run)}/tasks`)) {
    const names = (await ds.list(`${runKey(flow, run)}/tasks/${step}`)).filter((n) => n.endsWith('.json'));
    const records = await Promise.all(names.map((n) => readTask(ds, flow, run, step, n.slice(0, -5))));
    res.set(step, records.filter((r): r is TaskRecord => r !== null).sort((a, b) => compareTaskIds(a.id, b.id)));
  }
  return res;
}

/** A task id's parts: the foreach indices' text (`1.2`, `0`) and a bounded loop's iteration (`1.2r3` → 3; 0 without `r`). */
export function splitTaskId(id: string): { base: string; iteration: number } {
  const m = /^(.+)r(\d+)$/.exec(id);
  return m ? { base: m[1], iteration: Number(m[2]) } : { base: id, iteration: 0 };
}

/** Task ids in order: by foreach indices, then by loop iteration. */
export function compareTaskIds(a: string, b: string): number {
  const key = (id: string): number[] => {
    const { base, iteration } = splitTaskId(id);
    return [...base.split('.').map(Number), iteration];
  };
  const xa = key(a);
  const xb = key(b);
  for (let i = 0; i < Math.max(xa.length, xb.length); i++) {
    const d = (xa[i] ?? -1) - (xb[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
}

export async function listFlows(ds: Datastore): Promise<string[]> {
  return ds.list('runs');
}

/** Every run of a flow, newest first, optionally only those of one namespace. */
export async function listRuns(ds: Datastore, flow: string, namespace: string | null): Promise<RunRecord[]> {
  const ids = await ds.list(`runs/${flow}`);
  const runs = (await Promise.all(ids.map((id) => readRun(ds, flow, id)))).filter((r): r is RunRecord => r !== null);
  return runs.filter((r) => inNamespace(r, namespace)).sort((a, b) => (a.startedAt < b.startedAt ? 1 : a.startedAt > b.startedAt ? -1 : a.id < b.id ? 1 : -1));
}

/**
 * Whether a run belongs to a namespace (null: every namespace). As in Metaflow, a namespace is a tag: the run's
 * own namespace (`user:NAME` for runs started by hand, `production:NAME` for scheduled and triggered ones), or
 * any of its tags.
 */
function inNamespace(run: RunRecord, namespace: string | null): boolean {
  return namespace === null || run.namespace === namespace || run.tags.includes(namespace);
}

/** Resolves `latest` (the newest run in the namespace) or a run id. */
export async function findRun(ds: Datastore, flow: string, run: string, namespace: string | null): Promise<RunRecord | null> {
  if (run === 'latest') return (await listRuns(ds, flow, namespace))[0] ?? null;
  return readRun(ds, flow, run);
}

/**
 * A local run recorded as running whose runner process is gone (killed, crashed) is shown as `interrupted`.
 * Remote runs (pid 0) have no runner here: their status is what the records say.
 */
export function displayStatus(run: RunRecord, hostname: string, isAlive: (pid: number) => boolean): string {
  if (run.status === 'running' && run.pid > 0 && run.host === hostname && !isAlive(run.pid)) return 'interrupted';
  return run.status;
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
