/**
 * The client API for notebooks and scripts: read runs and artifacts from a datastore.
 *
 *   const run = await Flow('MyFlow').latestRun();   // or latestSuccessfulRun()
 *   const x = await run.step('a').task().artifact('x');
 *   const out = await run.artifact('out');
 *
 * `namespace` defaults to `user:<USER>` (null: every namespace); `datastore` to the same search as the CLI
 * (`.flowc/` in the working directory or above, then the datastores `flowc run` remembered).
 */
import { openDatastore, type Datastore } from './datastore.ts';
import { candidateLocations } from './locate.ts';
import { artifactValue, findArtifact } from './query.ts';
import { compareTaskIds, defaultNamespace, listRuns, readRun, readTask, type RunRecord, type TaskRecord } from './records.ts';

export interface FlowOptions {
  namespace?: string | null;
  datastore?: string;
}

export interface TaskHandle {
  readonly step: string;
  /** The task id; `0` outside a foreach. */
  readonly id: string;
  record(): Promise<TaskRecord>;
  artifact(name: string): Promise<unknown>;
}

export interface StepHandle {
  readonly name: string;
  /** A task of this step: the given id, else `0` (the only task outside a foreach). */
  task(id?: string): TaskHandle;
  tasks(): Promise<TaskHandle[]>;
}

export interface RunHandle {
  readonly id: string;
  readonly record: RunRecord;
  /** `running`, `done` or `failed`; for a run on Argo or Batch, derived from its records (see `settleRun`). */
  readonly status: RunRecord['status'];
  /** True when the run finished successfully. */
  readonly successful: boolean;
  step(name: string): StepHandle;
  /** An artifact of the run by name (the flow's results first; see `findArtifact`). */
  artifact(name: string): Promise<unknown>;
}

export interface FlowHandle {
  readonly name: string;
  /** Runs in the namespace, newest first. */
  runs(): Promise<RunHandle[]>;
  latestRun(): Promise<RunHandle | null>;
  /** The newest run in the namespace that finished successfully. */
  latestSuccessfulRun(): Promise<RunHandle | null>;
  run(id: string): Promise<RunHandle | null>;
}

function runHandle(ds: Datastore, record: RunRecord): RunHandle {
  const task = (step: string, id: string): TaskHandle => ({
    step,
    id,
    async record() {
      const rec = await readTask(ds, record.flow, record.id, step, id);
      if (!rec) throw new Error(`Run ${record.flow}/${record.id} has no task ${step}/${id}.`);
      return rec;
    },
    async artifact(name) {
      return artifactValue(ds, await findArtifact(ds, record, name, { step, task: id }));
    },
  });
  return {
    id: record.id,
    record,
    status: record.status,
    successful: record.status === 'done',
    step: (name) => ({
      name,
      task: (id = '0') => task(name, id),
      async tasks() {
        const ids = (await ds.list(`runs/${record.flow}/${record.id}/tasks/${name}`)).filter((n) => n.endsWith('.json')).map((n) => n.slice(0, -5));
        return ids.sort(compareTaskIds).map((id) => task(name, id));
      },
    }),
    artifact: async (name) => artifactValue(ds, await findArtifact(ds, record, name)),
  };
}

export function Flow(name: string, options: FlowOptions = {}): FlowHandle {
  const namespace = options.namespace === undefined ? defaultNamespace(process.env) : options.namespace;
  const stores = async (): Promise<Datastore[]> => {
    const locations = await candidateLocations({ cwd: process.cwd(), env: process.env, explicit: options.datastore });
    return Promise.all(locations.map(openDatastore));
  };
  const runs = async (): Promise<RunHandle[]> => {
    const res: RunHandle[] = [];
    for (const ds of await stores()) for (const r of await listRuns(ds, name, namespace)) res.push(runHandle(ds, r));
    return res.sort((a, b) => (a.record.startedAt < b.record.startedAt ? 1 : -1));
  };
  return {
    name,
    runs,
    latestRun: async () => (await runs())[0] ?? null,
    latestSuccessfulRun: async () => (await runs()).find((r) => r.successful) ?? null,
    async run(id) {
      for (const ds of await stores()) {
        const r = await readRun(ds, name, id);
        if (r) return runHandle(ds, r);
      }
      return null;
    },
  };
}
