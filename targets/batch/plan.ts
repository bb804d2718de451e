/**
 * The task plan: everything the in-container bootstrap needs to know about one step that is fixed at compile
 * time (where each input comes from, what to upload after the body, what the state machine reads back).
 * It travels as JSON in the job definition's `FLOWC_PLAN` variable; the run id and the task's foreach path
 * arrive per submission (`FLOWC_RUN_ID`, `FLOWC_FOREACH_PATH`).
 *
 * A producer is written `[step, depth]`: the step whose task wrote the artifact, and the number of foreach
 * levels it runs in (its task path is the consumer's path cut to that depth). Candidate producers are listed
 * nearest first (latest in the IR's topological order): past a switch only the producers that ran have the
 * object, and the latest of those that exists is the nearest ancestor.
 */
import { storageOf } from '../../compiler/ir.ts';
import type { FlowIR, InputIR, StepIR, TypeIR } from '../../compiler/ir.ts';

export type Producer = [step: string, depth: number];

export type PlanSource =
  | { param: string }
  | { artifact: string; producers: Producer[] }
  | { item: Producer }
  | { gather: string; branches: Producer[][] }
  | { gather: string; foreach: Producer; producers: Producer[] };

export interface PlanInput {
  name: string;
  storage: InputIR['storage'];
  /** Top-level kind of the type (`int`, `string`, `list`, ...); `optional` inputs may be absent (null). */
  kind: TypeIR['kind'];
  optional: boolean;
  from: PlanSource;
}

export interface PlanParam {
  storage: InputIR['storage'];
  kind: TypeIR['kind'];
  optional: boolean;
  default?: unknown;
}

export interface TaskPlan {
  /** Foreach depth of this step (length of its foreach stack). */
  depth: number;
  inputs: PlanInput[];
  /** Every parameter the step reads (as an input or through `{{param.x}}`), with its default. */
  params: Record<string, PlanParam>;
  outputs: { name: string; storage: InputIR['storage']; kind: TypeIR['kind']; optional: boolean }[];
  /** A foreach step: the list it fans out over, found in `in/` or `out/` after the body. */
  foreach: { list: string; dir: 'in' | 'out' } | null;
  /** A switch step: the value it switches on. */
  switch: { on: string; dir: 'in' | 'out' } | null;
  /** `@catch(var)`: on success `var` is written as null. */
  catch: string | null;
}

/** Step order and lookup by name, built once per IR (a plan is built for every step). */
const indexes = new WeakMap<FlowIR, { order: Map<string, number>; byName: Map<string, StepIR> }>();

function indexOf(ir: FlowIR): { order: Map<string, number>; byName: Map<string, StepIR> } {
  let res = indexes.get(ir);
  if (!res) {
    res = { order: new Map(ir.steps.map((s, i) => [s.name, i])), byName: new Map(ir.steps.map((s) => [s.name, s])) };
    indexes.set(ir, res);
  }
  return res;
}

export function buildTaskPlan(ir: FlowIR, step: StepIR): TaskPlan {
  const { order, byName } = indexOf(ir);
  const producer = (name: string): Producer => [name, byName.get(name)?.foreachStack.length ?? 0];
  const nearestFirst = (names: string[]): Producer[] => [...names].sort((a, b) => (order.get(b) ?? 0) - (order.get(a) ?? 0)).map(producer);
  const params: Record<string, PlanParam> = {};
  const addParam = (name: string): void => {
    const p = ir.params.find((q) => q.name === name);
    if (!p || params[name]) return;
    const optional = p.type.kind === 'optional';
    params[name] = { storage: storageOf(p.type), kind: p.type.kind, optional, ...(p.default !== undefined ? { default: p.default } : {}) };
  };
  const inputs: PlanInput[] = step.inputs.map((input) => {
    const from = input.from;
    let source: PlanSource;
    switch (from.kind) {
      case 'param':
        addParam(from.param);
        source = { param: from.param };
        break;
      case 'artifact':
        source = { artifact: from.artifact, producers: nearestFirst(from.producers) };
        break;
      case 'pick':
        source = { artifact: from.artifact, producers: nearestFirst(from.producers) };
        break;
      case 'item':
        source = { item: producer(from.foreach) };
        break;
      case 'gather':
        source =
          from.over === 'split'
            ? { gather: from.artifact, branches: from.branches.map((b) => nearestFirst(b.producers)) }
            : { gather: from.artifact, foreach: producer(step.joins ?? ''), producers: nearestFirst(from.branches[0]?.producers ?? []) };
        break;
    }
    return { name: input.name, storage: input.storage, kind: input.type.kind, optional: input.type.kind === 'optional', from: source };
  });
  for (const name of templateParams(step)) addParam(name);
  const where = (name: string): 'in' | 'out' => (step.outputs.some((o) => o.name === name) ? 'out' : 'in');
  return {
    depth: step.foreachStack.length,
    inputs,
    params,
    outputs: step.outputs.map((o) => ({ name: o.name, storage: o.storage, kind: o.type.kind, optional: o.type.kind === 'optional' })),
    foreach: step.next.kind === 'foreach' ? { list: step.next.list, dir: where(step.next.list) } : null,
    switch: step.next.kind === 'switch' ? { on: step.next.on, dir: where(step.next.on) } : null,
    catch: step.catch && !step.outputs.some((o) => o.name === step.catch!.var) ? step.catch.var : null,
  };
}

/** Parameters named by `{{param.x}}` in the step's body, in order of first use. */
function templateParams(step: StepIR): string[] {
  const body = step.body;
  const templates = body.kind === 'shell' ? [body.command] : body.kind === 'argv' ? body.args : [];
  const names: string[] = [];
  for (const t of templates) for (const p of t.parts) if (p.kind === 'ref' && p.scope === 'param' && !names.includes(p.name)) names.push(p.name);
  return names;
}

/**
 * Whether a step has nothing to do in a container: no body, no outputs, nothing the state machine must read
 * back (foreach list, switch value) and no `@catch`. Such a step becomes a Pass state and gets no job.
 */
export function isNoOp(step: StepIR): boolean {
  return step.body.kind === 'none' && step.outputs.length === 0 && step.catch === null && (step.next.kind === 'end' || step.next.kind === 'linear' || step.next.kind === 'split');
}
