/**
 * Planning a resume: which step to restart from and which steps must run again.
 *
 * The new run re-runs every step whose content hash changed since the original run and everything downstream of
 * those, plus, with an explicit `from`, that step and everything downstream of it; every other task is taken over
 * from the original run when it finished there successfully with the same parents (the scheduler checks this
 * per task). Without `from` nothing else is forced: the failed tasks and the tasks that never ran have no
 * finished record, so they run, and the finished tasks of a failed foreach step are reused. `fromStep` then only
 * names where the run restarts: the first step, in topological order, with a failed task.
 */
import type { FlowIR } from '../../compiler/ir.ts';
import type { RunRecord, TaskRecord } from './records.ts';
import { downstreamOf, type ResumePlan } from './run.ts';
import { stepHashes } from './step-hash.ts';

/** The error for `--from STEP` naming no step of the flow, else undefined (every target's resume: cli/cmd-resume.ts). */
export function unknownFromStep(ir: FlowIR, from: string | undefined): string | undefined {
  if (from === undefined || ir.steps.some((s) => s.name === from)) return undefined;
  return `Flow '${ir.name}' has no step '${from}' (steps: ${ir.steps.map((s) => s.name).join(', ')}).`;
}

/** `from`: a step of the flow (the caller checked it with `unknownFromStep`), or undefined. */
export function planResume(origin: RunRecord, originTasks: Map<string, TaskRecord[]>, ir: FlowIR, from: string | undefined): ResumePlan | string {
  const tasks = new Map<string, TaskRecord>();
  for (const recs of originTasks.values()) for (const r of recs) tasks.set(`${r.step}/${r.id}`, r);
  let fromStep = from;
  if (fromStep === undefined) {
    fromStep = ir.steps.find((s) => (originTasks.get(s.name) ?? []).some((t) => t.status === 'failed' && !t.caught))?.name;
  }
  const rerun = new Set<string>(from !== undefined ? downstreamOf(ir, from) : []);
  const hashes = stepHashes(ir);
  for (const s of ir.steps) if (origin.stepHashes[s.name] !== hashes[s.name]) for (const d of downstreamOf(ir, s.name)) rerun.add(d);
  const label = fromStep ?? ir.steps.find((s) => !originTasks.has(s.name))?.name ?? ir.steps[0].name;
  if (!fromStep && origin.status === 'done' && rerun.size === 0) {
    return `Run ${origin.flow}/${origin.id} finished successfully and no step changed; give --from STEP to run steps again.`;
  }
  return { origin, tasks, fromStep: label, rerun };
}
