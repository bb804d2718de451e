/**
 * A structural diff of two versions of a file's flows (`flowc diff`). Pure: IR in, `DiffResult` out.
 *
 * Flows pair up by name; when exactly one flow disappeared and one appeared, they are the same flow renamed.
 * Within a flow, steps pair up by name and then by the rename heuristic of `match-steps.ts`. A paired step is
 * compared field by field, with old step names mapped through the renames, so renaming `a` does not show every
 * step that reads from `a` as changed. A step whose outgoing edges changed gets a `next` change, so it is marked
 * in the DAG too. Order is deterministic: the new flow's order, removed things after, in the old flow's order.
 */
import type { EdgeIR, FlowIR, InputIR, InputSourceIR, OutputIR, StepIR } from '../../compiler/ir.ts';
import { describeBody, describeDuration, describeMiB, describeRetry, describeSchedule, describeSource, describeType, describeValue } from './describe.ts';
import { matchSteps } from './match-steps.ts';
import { stableJson } from './stable-json.ts';
import type { Change, DiffResult, EdgeRef, FlowDiff, StepDiff } from './types.ts';

type Rename = (name: string) => string;

function change(changes: Change[], field: string, before: string | null, after: string | null): void {
  if (before !== after) changes.push({ field, before, after });
}

function sameJson(a: unknown, b: unknown): boolean {
  return stableJson(a) === stableJson(b);
}

function renameSource(s: InputSourceIR, rename: Rename): InputSourceIR {
  const all = (names: string[]) => names.map(rename).sort();
  switch (s.kind) {
    case 'param':
      return s;
    case 'artifact':
      return { ...s, producers: all(s.producers) };
    case 'item':
      return { ...s, foreach: rename(s.foreach) };
    case 'gather':
      return { ...s, branches: s.branches.map((b) => ({ producers: all(b.producers) })) };
    case 'pick':
      return { ...s, from: rename(s.from), producers: all(s.producers) };
  }
}

function diffInputs(changes: Change[], before: InputIR[], after: InputIR[], rename: Rename): void {
  const old = new Map(before.map((i) => [i.name, i]));
  const now = new Map(after.map((i) => [i.name, i]));
  for (const i of after) {
    const o = old.get(i.name);
    if (!o) {
      change(changes, `input ${i.name}`, null, describeType(i.type));
      continue;
    }
    change(changes, `input ${i.name}`, describeType(o.type), describeType(i.type));
    const oldSource = renameSource(o.from, rename);
    if (!sameJson(oldSource, i.from)) changes.push({ field: `input ${i.name} source`, before: describeSource(oldSource), after: describeSource(i.from) });
  }
  for (const o of before) if (!now.has(o.name)) change(changes, `input ${o.name}`, describeType(o.type), null);
}

function diffOutputs(changes: Change[], before: OutputIR[], after: OutputIR[]): void {
  const old = new Map(before.map((o) => [o.name, o]));
  const now = new Set(after.map((o) => o.name));
  for (const o of after) change(changes, `output ${o.name}`, old.has(o.name) ? describeType(old.get(o.name)!.type) : null, describeType(o.type));
  for (const o of before) if (!now.has(o.name)) change(changes, `output ${o.name}`, describeType(o.type), null);
}

const num = (n: number | null, unit: (x: number) => string = String) => (n === null ? null : unit(n));
const compact = (v: unknown) => (v === null || (Array.isArray(v) && v.length === 0) ? null : stableJson(v));

function diffStep(o: StepIR, n: StepIR, oldSuccs: string[], newSuccs: string[], rename: Rename): Change[] {
  const changes: Change[] = [];
  change(changes, 'image', o.image, n.image);
  if (!sameJson(o.body, n.body)) {
    const before = describeBody(o.body);
    const after = describeBody(n.body);
    // Two scripts of the same size describe alike; say that the text changed rather than print equal strings.
    changes.push({ field: 'body', before, after: after === before ? `${after}, edited` : after });
  }
  const mapped = oldSuccs.map(rename).sort();
  if (!sameJson(mapped, [...newSuccs].sort())) changes.push({ field: 'next', before: mapped.join(', ') || null, after: [...newSuccs].sort().join(', ') || null });
  diffInputs(changes, o.inputs, n.inputs, rename);
  diffOutputs(changes, o.outputs, n.outputs);
  change(changes, 'resources.cpu', num(o.resources.cpu), num(n.resources.cpu));
  change(changes, 'resources.memory', num(o.resources.memoryMiB, describeMiB), num(n.resources.memoryMiB, describeMiB));
  change(changes, 'resources.gpu', num(o.resources.gpu), num(n.resources.gpu));
  change(changes, 'resources.disk', num(o.resources.diskMiB, describeMiB), num(n.resources.diskMiB, describeMiB));
  change(changes, 'retry', describeRetry(o.retry), describeRetry(n.retry));
  change(changes, 'timeout', num(o.timeoutSeconds, describeDuration), num(n.timeoutSeconds, describeDuration));
  change(changes, 'catch', o.catch?.var ?? null, n.catch?.var ?? null);
  change(changes, 'parallel', o.parallel ? `${o.parallel.nodes} nodes` : null, n.parallel ? `${n.parallel.nodes} nodes` : null);
  change(changes, 'env', compact(o.env), compact(n.env));
  change(changes, 'secrets', compact(o.secrets), compact(n.secrets));
  // The target-only settings (`@kubernetes`, `@batch`), named by the decorator that set them.
  for (const target of [...new Set([...Object.keys(o.targets), ...Object.keys(n.targets)])].sort()) {
    const before = o.targets[target] ?? {};
    const after = n.targets[target] ?? {};
    for (const decorator of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) change(changes, decorator, compact(before[decorator] ?? null), compact(after[decorator] ?? null));
  }
  return changes;
}

const edgeKey = (e: EdgeRef) => `${e.from}\0${e.to}\0${e.kind}\0${e.label ?? ''}`;
const edgeRef = (e: EdgeIR, rename: Rename = (x) => x): EdgeRef => ({ from: rename(e.from), to: rename(e.to), kind: e.kind, ...(e.label !== undefined ? { label: e.label } : {}) });

function diffFlowLevel(o: FlowIR, n: FlowIR): Change[] {
  const changes: Change[] = [];
  change(changes, 'name', o.name, n.name);
  const oldParams = new Map(o.params.map((p) => [p.name, p]));
  const newParams = new Set(n.params.map((p) => p.name));
  for (const p of n.params) {
    const q = oldParams.get(p.name);
    change(changes, `param ${p.name}`, q ? describeType(q.type) : null, describeType(p.type));
    if (q) change(changes, `param ${p.name} default`, q.required ? '(required)' : describeValue(q.default), p.required ? '(required)' : describeValue(p.default));
  }
  for (const p of o.params) if (!newParams.has(p.name)) change(changes, `param ${p.name}`, describeType(p.type), null);
  for (const name of [...new Set([...Object.keys(o.types), ...Object.keys(n.types)])].sort()) {
    const before = o.types[name];
    const after = n.types[name];
    if (!sameJson(before ?? null, after ?? null)) changes.push({ field: `type ${name}`, before: before ? stableJson(before) : null, after: after ? stableJson(after) : null });
  }
  change(changes, 'image', o.image, n.image);
  change(changes, 'schedule', describeSchedule(o.schedule), describeSchedule(n.schedule));
  const oldEvents = new Set(o.triggers.map((t) => t.event));
  const newEvents = new Set(n.triggers.map((t) => t.event));
  for (const e of newEvents) if (!oldEvents.has(e)) changes.push({ field: `trigger ${e}`, before: null, after: 'on' });
  for (const e of oldEvents) if (!newEvents.has(e)) changes.push({ field: `trigger ${e}`, before: 'on', after: null });
  change(changes, 'project', o.project, n.project);
  return changes;
}

/** The diff of one flow's two versions. */
export function diffFlow(o: FlowIR, n: FlowIR): FlowDiff {
  const match = matchSteps(o, n);
  const rename: Rename = (name) => match.oldToNew.get(name) ?? name;
  const succs = (ir: FlowIR) => {
    const m = new Map<string, string[]>();
    for (const e of ir.edges) (m.get(e.from) ?? m.set(e.from, []).get(e.from)!).push(e.to);
    return m;
  };
  const oldSuccs = succs(o);
  const newSuccs = succs(n);
  const newToOld = new Map([...match.oldToNew].map(([a, b]) => [b, a]));
  const oldByName = new Map(o.steps.map((s) => [s.name, s]));

  const steps: StepDiff[] = [];
  const added = new Set(match.added);
  for (const s of n.steps) {
    if (added.has(s.name)) {
      steps.push({ kind: 'added', step: s.name });
      continue;
    }
    const oldName = newToOld.get(s.name)!;
    const changes = diffStep(oldByName.get(oldName)!, s, oldSuccs.get(oldName) ?? [], newSuccs.get(s.name) ?? [], rename);
    if (oldName !== s.name) steps.push({ kind: 'renamed', from: oldName, step: s.name, changes });
    else if (changes.length > 0) steps.push({ kind: 'changed', step: s.name, changes });
  }
  for (const name of match.removed) steps.push({ kind: 'removed', step: name });

  const oldEdges = o.edges.map((e) => edgeRef(e, rename));
  const newEdges = n.edges.map((e) => edgeRef(e));
  const oldKeys = new Set(oldEdges.map(edgeKey));
  const newKeys = new Set(newEdges.map(edgeKey));
  const edges = { added: newEdges.filter((e) => !oldKeys.has(edgeKey(e))), removed: oldEdges.filter((e) => !newKeys.has(edgeKey(e))) };

  const changes = diffFlowLevel(o, n);
  const same = changes.length === 0 && steps.length === 0 && edges.added.length === 0 && edges.removed.length === 0;
  return { name: n.name, oldName: o.name, newName: n.name, status: same ? 'unchanged' : 'changed', changes, steps, edges };
}

function wholeFlow(ir: FlowIR, status: 'added' | 'removed'): FlowDiff {
  const edges = ir.edges.map((e) => edgeRef(e));
  return {
    name: ir.name,
    oldName: status === 'removed' ? ir.name : null,
    newName: status === 'added' ? ir.name : null,
    status,
    changes: [],
    steps: ir.steps.map((s) => ({ kind: status, step: s.name })),
    edges: status === 'added' ? { added: edges, removed: [] } : { added: [], removed: edges },
  };
}

/**
 * Compares the flows of a file before and after a change. Either side may be empty (a new or deleted file).
 * Never throws on valid IR.
 */
export function diffFlows(before: FlowIR[], after: FlowIR[]): DiffResult {
  const oldByName = new Map(before.map((f) => [f.name, f]));
  const newNames = new Set(after.map((f) => f.name));
  const oldOnly = before.filter((f) => !newNames.has(f.name));
  const newOnly = after.filter((f) => !oldByName.has(f.name));
  const flowRename = oldOnly.length === 1 && newOnly.length === 1 ? { from: oldOnly[0], to: newOnly[0] } : null;

  const flows: FlowDiff[] = [];
  for (const f of after) {
    const old = oldByName.get(f.name) ?? (flowRename?.to === f ? flowRename.from : undefined);
    flows.push(old ? diffFlow(old, f) : wholeFlow(f, 'added'));
  }
  for (const f of oldOnly) if (flowRename?.from !== f) flows.push(wholeFlow(f, 'removed'));
  return { flows, changed: flows.some((f) => f.status !== 'unchanged') };
}

/** The steps of the new flow to mark in its DAG: added, renamed and changed ones. */
export function changedSteps(diff: FlowDiff): { added: string[]; changed: string[] } {
  const added: string[] = [];
  const changed: string[] = [];
  for (const s of diff.steps) {
    if (s.kind === 'added') added.push(s.step);
    else if (s.kind === 'renamed' || s.kind === 'changed') changed.push(s.step);
  }
  return { added, changed };
}
