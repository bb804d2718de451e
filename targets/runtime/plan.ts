/**
 * The task plan: everything the task runtime (clients/python/flowc/_runtime.py) needs to know about one step
 * that is fixed at compile time: where each input comes from in the run's task records, the declared outputs
 * and their JSON Schemas, what the engine routes on (foreach, switch), `@catch`, `@retry`, `@timeout`, and for
 * the run's first step every parameter with its default. Shared by the Argo and Batch targets; it travels as
 * JSON in `FLOWC_PLAN`. Per task the engine adds only the run id and the task id (docs/targets.md).
 *
 * A producer is written `[step, depth]`: the step whose task wrote the artifact, and the number of foreach
 * levels it runs in (its task id is the consumer's foreach indices cut to that depth). Candidate producers are
 * listed nearest first (latest in the IR's topological order): past a switch only the producers that ran have a
 * record, and the latest of those that exists is the nearest ancestor.
 * Pure: no IO.
 */
import { storageOf, typeSchema } from '../../compiler/ir.ts';
import type { FlowIR, InputIR, JsonValue, StepIR, SwitchCaseIR, TypeIR } from '../../compiler/ir.ts';
import { stepHash } from '../local/step-hash.ts';
import { templateParams } from '../protocol/index.ts';

export type Producer = [step: string, depth: number];

export type PlanSource =
  | { param: string }
  | { artifact: string; producers: Producer[] }
  | { item: Producer; list: string }
  | { gather: string; branches: Producer[][] }
  | { gather: string; foreach: Producer; producers: Producer[] };

export interface PlanInput {
  name: string;
  storage: InputIR['storage'];
  type: TypeIR;
  from: PlanSource;
}

export interface PlanParam {
  storage: InputIR['storage'];
  type: TypeIR;
  /** JSON Schema of the type (records inlined under `$defs`). */
  schema: unknown;
  required: boolean;
  default?: JsonValue;
}

export interface PlanOutput {
  name: string;
  storage: InputIR['storage'];
  type: TypeIR;
  schema: unknown;
}

export interface TaskPlan {
  flow: string;
  step: string;
  /** The step's content hash (resume by reference compares it with the origin run's). */
  hash: string;
  /** Foreach depth of this step (length of its foreach stack). */
  depth: number;
  /** The run's first step: its task writes run.json and ir.json. */
  first: boolean;
  /** A step that ends the flow: its task marks the run done. */
  last: boolean;
  /** Steps with an edge into this one, as producers (for the record's `parents`); a foreach join lists the body's end. */
  parents: { from: Producer; gather: boolean }[];
  /** A foreach join: the foreach step it closes (its record's `foreachCount` says how many tasks to gather). */
  joinsForeach: Producer | null;
  inputs: PlanInput[];
  /** Parameters named by `{{param.x}}` in the body (bound as `FLOWC_PARAM_x`). */
  templateParams: string[];
  /** Every parameter of the flow, in the first step's plan only (it writes them to run.json); else empty. */
  params: Record<string, PlanParam>;
  outputs: PlanOutput[];
  /** A foreach step: the artifact it fans out over (an output, else an input). */
  foreach: { list: string } | null;
  /** A switch step: the value it switches on, the case values in order, their targets, and the else target. */
  switch: { on: string; cases: SwitchCaseIR['value'][]; targets: string[]; default: string | null } | null;
  /**
   * The flow's bounded loops, by switching step: `max` and the loop's steps in the IR's order. The engine gives a
   * task of a loop's step its iteration after the task id (`0r2`); the runtime finds producers and parents in
   * earlier iterations from these, and the switching step refuses to go back past `max`. Absent in flows without loops.
   */
  loops?: Record<string, { max: number; body: string[] }>;
  /** `@catch(var)`. */
  catch: string | null;
  /** Attempts of the body (`@retry` times + 1) and the delay between them. */
  attempts: number;
  retryDelaySeconds: number;
  timeoutSeconds: number | null;
  /** `@parallel(nodes: N)`: the gang's size (absent otherwise); node 0 writes the record, the others report to it. */
  nodes?: number;
}

/** The flow's bounded loops with their steps in IR order (`TaskPlan.loops`). */
function loopsOf(ir: FlowIR, order: Map<string, number>): TaskPlan['loops'] {
  const loops: TaskPlan['loops'] = {};
  for (const s of ir.steps) {
    if (s.loop) loops[s.name] = { max: s.loop.max, body: [...s.loop.body].sort((a, b) => order.get(a)! - order.get(b)!) };
  }
  return loops;
}

/** Step order and lookup by name, built once per IR (a plan is built for every step). */
interface Index {
  order: Map<string, number>;
  byName: Map<string, StepIR>;
  /** The steps with an edge into each step, in the order of `ir.edges`. */
  parentsOf: Map<string, string[]>;
  /** The flow's bounded loops (`TaskPlan.loops`), when it has any: the same in every step's plan. */
  loops: TaskPlan['loops'] | undefined;
}
const indexes = new WeakMap<FlowIR, Index>();

function indexOf(ir: FlowIR): Index {
  let res = indexes.get(ir);
  if (!res) {
    const parentsOf = new Map<string, string[]>();
    for (const e of ir.edges) {
      const list = parentsOf.get(e.to);
      if (list) list.push(e.from);
      else parentsOf.set(e.to, [e.from]);
    }
    const order = new Map(ir.steps.map((s, i) => [s.name, i]));
    res = { order, byName: new Map(ir.steps.map((s) => [s.name, s])), parentsOf, loops: ir.steps.some((s) => s.loop) ? loopsOf(ir, order) : undefined };
    indexes.set(ir, res);
  }
  return res;
}

/** The JSON Schema of a type with the record types it uses (transitively) under `$defs`. */
function schemaOf(ir: Pick<FlowIR, 'types'>, type: TypeIR): unknown {
  const defs: Record<string, unknown> = {};
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o.$ref === 'string' && o.$ref.startsWith('#/$defs/')) {
        const name = o.$ref.slice(8);
        if (!(name in defs) && ir.types[name]) {
          defs[name] = ir.types[name];
          visit(ir.types[name]);
        }
      }
      Object.values(o).forEach(visit);
    }
  };
  const schema = typeSchema(type) as Record<string, unknown>;
  visit(schema);
  return Object.keys(defs).length ? { ...schema, $defs: Object.fromEntries(Object.entries(defs).sort(([a], [b]) => (a < b ? -1 : 1))) } : schema;
}

export function buildTaskPlan(ir: FlowIR, step: StepIR): TaskPlan {
  const { order, byName, parentsOf, loops } = indexOf(ir);
  const producer = (name: string): Producer => [name, byName.get(name)?.foreachStack.length ?? 0];
  const nearestFirst = (names: string[]): Producer[] => [...names].sort((a, b) => (order.get(b) ?? 0) - (order.get(a) ?? 0)).map(producer);
  const inputs: PlanInput[] = step.inputs.map((input) => {
    const from = input.from;
    let source: PlanSource;
    switch (from.kind) {
      case 'param':
        source = { param: from.param };
        break;
      case 'artifact':
      case 'pick':
        source = { artifact: from.artifact, producers: nearestFirst(from.producers) };
        break;
      case 'item':
        source = { item: producer(from.foreach), list: from.list };
        break;
      case 'gather':
        source =
          from.over === 'split'
            ? { gather: from.artifact, branches: from.branches.map((b) => nearestFirst(b.producers)) }
            : { gather: from.artifact, foreach: producer(step.joins ?? ''), producers: nearestFirst(from.branches[0]?.producers ?? []) };
        break;
    }
    return { name: input.name, storage: input.storage, type: input.type, from: source };
  });
  const first = ir.steps[0]?.name === step.name;
  const params: Record<string, PlanParam> = {};
  if (first) {
    for (const p of ir.params) {
      params[p.name] = { storage: storageOf(p.type), type: p.type, schema: schemaOf(ir, p.type), required: p.required, ...(p.default !== undefined ? { default: p.default as JsonValue } : {}) };
    }
  }
  const joinsForeach = step.joins !== null && byName.get(step.joins)?.next.kind === 'foreach';
  const parents = (parentsOf.get(step.name) ?? []).map((from) => ({ from: producer(from), gather: joinsForeach && (byName.get(from)?.foreachStack.length ?? 0) > step.foreachStack.length }));
  const next = step.next;
  return {
    flow: ir.name,
    step: step.name,
    hash: stepHash(step, ir),
    depth: step.foreachStack.length,
    first,
    last: next.kind === 'end' && step.foreachStack.length === 0,
    parents,
    joinsForeach: joinsForeach ? producer(step.joins!) : null,
    inputs,
    templateParams: templateParams(step),
    params,
    outputs: step.outputs.map((o) => ({ name: o.name, storage: o.storage, type: o.type, schema: schemaOf(ir, o.type) })),
    foreach: next.kind === 'foreach' ? { list: next.list } : null,
    switch: next.kind === 'switch' ? { on: next.on, cases: next.cases.map((c) => c.value), targets: next.cases.map((c) => c.to), default: next.default } : null,
    ...(loops ? { loops } : {}),
    catch: step.catch ? step.catch.var : null,
    attempts: (step.retry?.times ?? 0) + 1,
    retryDelaySeconds: step.retry?.delaySeconds ?? 0,
    timeoutSeconds: step.timeoutSeconds,
    ...(step.parallel ? { nodes: step.parallel.nodes } : {}),
  };
}
