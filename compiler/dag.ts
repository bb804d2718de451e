/**
 * Phase 2, the DAG: `start`/`end`, reachability, cycles, the topological order, and the fan-out structure
 * (which join closes which split or foreach, which steps lie inside which foreach, where switches reconverge).
 *
 * Codes: missing-start, missing-end, unreachable-step, dead-end-step, cycle, unclosed-fanout, join-mismatch.
 *
 * Structure rule (documented in docs/language.md): every step has a *context*, the stack of fan-outs it runs
 * inside (a frame per split or foreach, with the branch taken). A step reached with different contexts is a
 * join: its incoming contexts must differ only in their last frame, all from the same split, covering every
 * branch. A step inside a foreach closes it when it gathers (`in x: [T]`) an artifact of type `T` produced
 * inside that foreach. `end` must be reached with an empty context.
 * Broken edges (a misspelt or missing `next`, an edge closing a cycle) do not stop the analysis: the back edges of
 * cycles are left out, every step is ordered (reachable from `start` or not), and steps whose incoming edges are
 * not all known are *open* (see `Dag.open`).
 * Invariant: no structure diagnostic is reported about an open step or about a fan-out one of whose branches runs
 * into a broken edge (they would cascade from the one real mistake).
 */
import type { Span } from '../diagnostics/types.ts';
import { quoteList, type CheckContext } from './context.ts';
import { MinHeap } from './heap.ts';
import type { EdgeModel, FlowModel, StepModel } from './resolve.ts';
import { isAssignable } from './sem-types.ts';

export interface Frame {
  kind: 'split' | 'foreach';
  /** The fanning-out step. */
  fanout: string;
  /** The branch taken (the target of the fan-out edge). */
  branch: string;
}

export interface Dag {
  /**
   * Every step in topological order of the forward edges (ties broken by source order): the steps reachable from
   * `start` and, after a broken edge, the rest too, so that every part of the graph is analysed.
   */
  order: StepModel[];
  /** True when there is a `start` and no cycle. */
  sound: boolean;
  /** Incoming forward edges of each step (a back edge that closes a cycle is left out). */
  preds: Map<string, EdgeModel[]>;
  /** The edges left out of `preds` because they close a cycle (found by a depth-first search from `start`). */
  backEdges: EdgeModel[];
  /**
   * Steps whose incoming edges are not all known: not reachable from `start` (after a misspelt or missing `next`),
   * the target of a back edge, or after such a step. Their environment may lack names that a fixed graph would
   * give them, so the checks there report only what is wrong whatever the missing edges are.
   */
  open: Set<string>;
  /** Splits and foreach steps one of whose branches runs into a broken edge (their join may be missing). */
  leaky: Set<string>;
  /** Bounded loops: the switching step with `@loop(max: N)` → its loop (see `LoopInfo`). */
  loops: Map<string, LoopInfo>;
  /** Each step inside a bounded loop → the switching step of that loop. */
  loopOf: Map<string, string>;
  reachable: Set<string>;
  /** The fan-out contexts of each ordered step. */
  contexts: Map<string, Frame[]>;
  /** Join step → the split or foreach step it closes. */
  joinOf: Map<string, string>;
  /** Split or foreach step → its join. */
  joinFor: Map<string, string>;
  /** Switch step → the first step every case reaches. */
  mergeFor: Map<string, string>;
}

/**
 * A bounded loop: a switch case of the step with `@loop(max: N)` going back to an earlier step (or itself).
 * The back edges are left out of `preds` like those of a cycle, but they are not errors, and the steps they
 * go back to are not open: their environment on later iterations is known (see dataflow.ts).
 */
export interface LoopInfo {
  /** The switching step. */
  step: string;
  /** `N` of `@loop(max: N)`: the most times the loop's steps run (undefined when the argument is invalid). */
  max: number | undefined;
  /** The steps the back edges go to. */
  heads: string[];
  /** Every step of the loop (from the heads to the switching step), in source order. */
  body: string[];
}

/** `N` of `@loop(max: N)` when the step has the decorator (0 when its argument is missing or not a number). */
function loopMax(step: StepModel): number | undefined {
  const deco = step.decl.decorators?.find((d) => d.name?.name === 'loop');
  if (!deco) return undefined;
  const arg = deco.args?.find((a) => a.name?.name === 'max') ?? deco.args?.find((a) => !a.name);
  return arg?.value?.kind === 'Int' ? Number(arg.value.value) : 0;
}

export function analyzeDag(flow: FlowModel, ctx: CheckContext): Dag {
  const dag: Dag = {
    order: [],
    sound: false,
    preds: new Map(),
    backEdges: [],
    open: new Set(),
    leaky: new Set(),
    loops: new Map(),
    loopOf: new Map(),
    reachable: new Set(),
    contexts: new Map(),
    joinOf: new Map(),
    joinFor: new Map(),
    mergeFor: new Map(),
  };
  for (const step of flow.steps) dag.preds.set(step.name, []);

  const start = flow.stepByName.get('start');
  const end = flow.stepByName.get('end');
  const flowSpan: Span = flow.decl.name?.span ?? flow.decl.span;
  if (!start) ctx.report('missing-start', flowSpan, `Flow '${flow.name}' has no 'start' step.`);
  if (!end) ctx.report('missing-end', flowSpan, `Flow '${flow.name}' has no 'end' step.`);
  // A switch case of a step with @loop going back (to a step that reaches it) is a bounded loop, not a cycle. These
  // edges are found first, so that which edge of the loop counts as going back does not depend on the order of
  // the search (a switch before the loop naming its steps in another order).
  const loopEdges = findLoopEdges(flow);
  const back = new Set([...findBackEdges(flow, start, loopEdges), ...loopEdges]);
  for (const step of flow.steps) {
    for (const e of step.edges) {
      if (back.has(e)) dag.backEdges.push(e);
      else dag.preds.get(e.to)!.push(e);
    }
  }
  collectLoops(flow, dag, loopEdges, ctx);
  if (!start) {
    orderSteps(flow, dag);
    computeContexts(flow, dag, ctx);
    return dag;
  }

  // Reachability from start.
  const stack = [start];
  dag.reachable.add('start');
  while (stack.length > 0) {
    const step = stack.pop()!;
    for (const e of step.edges) {
      if (!dag.reachable.has(e.to)) {
        dag.reachable.add(e.to);
        stack.push(flow.stepByName.get(e.to)!);
      }
    }
  }
  const inCycle = reportCycles(flow, loopEdges, ctx);
  // An unresolved `next` target (already reported) may have been meant to reach the rest: stay quiet then.
  // Likewise after a step without `next`.
  const unknownTargets = flow.steps.some((s) => s.unresolvedNext || (!s.next && s.name !== 'end'));
  for (const step of flow.steps) {
    if (!dag.reachable.has(step.name) && !unknownTargets && inCycle.size === 0) {
      ctx.report('unreachable-step', step.decl.name.span, `Step '${step.name}' cannot be reached from 'start'.`);
    }
  }


  // Steps that cannot reach end. Steps without `next` (already reported) count as reaching it, and steps on a
  // cycle have their own diagnostic, so only the steps leading into a closed cycle are reported here.
  if (end) {
    const reaches = new Set<string>();
    const work: string[] = [];
    for (const step of flow.steps) {
      if (step.name === 'end' || !step.next || (step.edges.length === 0 && step.next)) {
        reaches.add(step.name);
        work.push(step.name);
      }
    }
    const allPreds = new Map<string, EdgeModel[]>();
    for (const step of flow.steps) {
      for (const e of step.edges) {
        if (!allPreds.has(e.to)) allPreds.set(e.to, []);
        allPreds.get(e.to)!.push(e);
      }
    }
    while (work.length > 0) {
      const name = work.pop()!;
      for (const e of allPreds.get(name) ?? []) {
        if (!reaches.has(e.from)) {
          reaches.add(e.from);
          work.push(e.from);
        }
      }
    }
    for (const step of flow.steps) {
      if (dag.reachable.has(step.name) && !reaches.has(step.name) && !inCycle.has(step.name)) {
        ctx.report('dead-end-step', step.decl.name.span, `Step '${step.name}' never reaches 'end': every path from it runs into a cycle.`);
      }
    }
  }
  dag.sound = inCycle.size === 0;
  orderSteps(flow, dag);
  computeContexts(flow, dag, ctx);
  checkLoops(flow, dag, ctx);
  computeMerges(flow, dag);
  return dag;
}

/**
 * The edges that close a cycle: those a depth-first search (from `start`, then from the other steps in source
 * order) follows back to a step still on its path, not following the edges in `skip`. Without them and `skip`,
 * the graph is acyclic.
 */
function findBackEdges(flow: FlowModel, start: StepModel | undefined, skip: Set<EdgeModel>): EdgeModel[] {
  const state = new Uint8Array(flow.steps.length); // 0 new, 1 on the path, 2 done
  const back: EdgeModel[] = [];
  const roots = start ? [start, ...flow.steps.filter((s) => s !== start)] : flow.steps;
  for (const root of roots) {
    if (state[root.index] !== 0) continue;
    const work: { step: StepModel; edge: number }[] = [{ step: root, edge: 0 }];
    state[root.index] = 1;
    while (work.length > 0) {
      const top = work[work.length - 1];
      if (top.edge < top.step.edges.length) {
        const e = top.step.edges[top.edge++];
        if (skip.has(e)) continue;
        const to = flow.stepByName.get(e.to)!;
        if (state[to.index] === 1) back.push(e);
        else if (state[to.index] === 0) {
          state[to.index] = 1;
          work.push({ step: to, edge: 0 });
        }
        continue;
      }
      state[top.step.index] = 2;
      work.pop();
    }
  }
  return back;
}

/** The switch cases of steps with `@loop` that go to a step from which the switching step is reached again. */
function findLoopEdges(flow: FlowModel): Set<EdgeModel> {
  const loopEdges = new Set<EdgeModel>();
  for (const step of flow.steps) {
    if (loopMax(step) === undefined) continue;
    for (const e of step.edges) {
      if (e.kind !== 'switch') continue;
      const seen = new Set([e.to]);
      const work = [e.to];
      while (work.length > 0 && !seen.has(step.name)) {
        for (const next of flow.stepByName.get(work.pop()!)?.edges ?? []) {
          if (!seen.has(next.to) && flow.stepByName.has(next.to)) {
            seen.add(next.to);
            work.push(next.to);
          }
        }
      }
      if (seen.has(step.name)) loopEdges.add(e);
    }
  }
  return loopEdges;
}

/**
 * Topological order of every step over the forward edges (Kahn, ties broken by source order), and the open steps:
 * a root other than `start`, the target of a back edge, and every step after one of them.
 */
function orderSteps(flow: FlowModel, dag: Dag): void {
  const indegree = new Int32Array(flow.steps.length);
  for (const step of flow.steps) indegree[step.index] = dag.preds.get(step.name)!.length;
  const heap = new MinHeap();
  for (const step of flow.steps) if (indegree[step.index] === 0) heap.push(step.index);
  const back = new Set(dag.backEdges);
  for (const e of back) if (!(e.kind === 'switch' && dag.loops.get(e.from)?.heads.includes(e.to))) dag.open.add(e.to);
  while (heap.size > 0) {
    const step = flow.steps[heap.pop()!];
    dag.order.push(step);
    const preds = dag.preds.get(step.name)!;
    if ((preds.length === 0 && step.name !== 'start') || preds.some((e) => dag.open.has(e.from))) dag.open.add(step.name);
    for (const e of step.edges) {
      if (back.has(e)) continue;
      const to = flow.stepByName.get(e.to)!.index;
      if (--indegree[to] === 0) heap.push(to);
    }
  }
}

/** Reports every cycle (one per strongly connected component) and returns the steps on cycles. */
function reportCycles(flow: FlowModel, loopEdges: Set<EdgeModel>, ctx: CheckContext): Set<string> {
  // Tarjan's algorithm, iterative so that long flows do not overflow the stack; per-step state lives in arrays
  // indexed by `StepModel.index` (-1: not visited yet).
  const nSteps = flow.steps.length;
  const index = new Int32Array(nSteps).fill(-1);
  const low = new Int32Array(nSteps);
  const onStack = new Uint8Array(nSteps);
  const sccStack: number[] = [];
  const inCycle = new Set<string>();
  let counter = 0;
  const stepTo = (e: EdgeModel) => flow.stepByName.get(e.to)!;
  for (const root of flow.steps) {
    if (index[root.index] >= 0) continue;
    const work: { step: StepModel; edge: number }[] = [{ step: root, edge: 0 }];
    index[root.index] = low[root.index] = counter++;
    sccStack.push(root.index);
    onStack[root.index] = 1;
    while (work.length > 0) {
      const top = work[work.length - 1];
      const at = top.step.index;
      if (top.edge < top.step.edges.length) {
        const edge = top.step.edges[top.edge++];
        if (loopEdges.has(edge)) continue;
        const to = stepTo(edge);
        if (index[to.index] < 0) {
          index[to.index] = low[to.index] = counter++;
          sccStack.push(to.index);
          onStack[to.index] = 1;
          work.push({ step: to, edge: 0 });
        } else if (onStack[to.index]) {
          low[at] = Math.min(low[at], index[to.index]);
        }
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1].step.index;
        low[parent] = Math.min(low[parent], low[at]);
      }
      if (low[at] === index[at]) {
        const members: string[] = [];
        let m: number;
        do {
          m = sccStack.pop()!;
          onStack[m] = 0;
          members.push(flow.steps[m].name);
        } while (m !== at);
        const name = top.step.name;
        const selfLoop = top.step.edges.some((e) => e.to === name && !loopEdges.has(e));
        if (members.length > 1 || selfLoop) {
          for (const x of members) inCycle.add(x);
          reportCycle(flow, new Set(members), loopEdges, ctx);
        }
      }
    }
  }
  return inCycle;
}

function reportCycle(flow: FlowModel, members: Set<string>, loopEdges: Set<EdgeModel>, ctx: CheckContext): void {
  const first = flow.steps.find((s) => members.has(s.name))!;
  // Breadth-first search inside the component for the shortest way back to `first`.
  const parent = new Map<string, EdgeModel>();
  const queue = [first.name];
  let closing: EdgeModel | undefined;
  for (let i = 0; i < queue.length && !closing; i++) {
    for (const e of flow.stepByName.get(queue[i])!.edges) {
      if (!members.has(e.to) || loopEdges.has(e)) continue;
      if (e.to === first.name) {
        closing = e;
        break;
      }
      if (!parent.has(e.to)) {
        parent.set(e.to, e);
        queue.push(e.to);
      }
    }
  }
  if (!closing) return;
  const path = [first.name];
  for (let at = closing.from; at !== first.name; at = parent.get(at)!.from) path.splice(1, 0, at);
  path.push(first.name);
  const hint = closing.kind === 'switch' ? ` To loop, give step '${closing.from}' a bound: @loop(max: N).` : '';
  ctx.report('cycle', closing.ident.span, `Steps form a cycle: ${path.join(' → ')}.${hint}`, { data: { cycle: path } });
}

/**
 * The bounded loops: for each step with `@loop`, the steps from the heads its back edges go to up to it. A loop
 * must stay inside one fan-out context and leave only through the switch (checked in `checkLoops` once contexts
 * are known); `@loop` on a step that does not switch back is an error.
 */
function collectLoops(flow: FlowModel, dag: Dag, loopEdges: Set<EdgeModel>, ctx: CheckContext): void {
  for (const step of flow.steps) {
    const max = loopMax(step);
    if (max === undefined) continue;
    const deco = step.decl.decorators.find((d) => d.name?.name === 'loop')!;
    const backs = step.edges.filter((e) => loopEdges.has(e));
    if (backs.length === 0) {
      ctx.report(
        'invalid-loop',
        deco.name.span,
        step.next?.kind === 'NextSwitch'
          ? `Step '${step.name}' has @loop, but no case of its switch goes back to an earlier step.`
          : `Step '${step.name}' has @loop, but a loop goes back through a switch case: '${step.name}' needs 'next switch ...' with a case naming an earlier step.`,
      );
      continue;
    }
    const heads = [...new Set(backs.map((e) => e.to))];
    // The body: steps reachable from a head (forward edges) that reach the switching step.
    const fromHeads = new Set<string>(heads);
    const work = [...heads];
    while (work.length > 0) {
      for (const e of flow.stepByName.get(work.pop()!)!.edges) {
        if (loopEdges.has(e) || dag.backEdges.includes(e) || fromHeads.has(e.to)) continue;
        fromHeads.add(e.to);
        work.push(e.to);
      }
    }
    const body = new Set<string>([step.name]);
    const back = [step.name];
    while (back.length > 0) {
      for (const e of dag.preds.get(back.pop()!) ?? []) {
        if (body.has(e.from) || !fromHeads.has(e.from)) continue;
        body.add(e.from);
        back.push(e.from);
      }
    }
    const info: LoopInfo = { step: step.name, max: max > 0 ? max : undefined, heads, body: flow.steps.filter((s) => body.has(s.name)).map((s) => s.name) };
    dag.loops.set(step.name, info);
    for (const name of info.body) if (!dag.loopOf.has(name)) dag.loopOf.set(name, step.name);
  }
}

/** A loop stays inside one fan-out context and is left only through its switch. */
function checkLoops(flow: FlowModel, dag: Dag, ctx: CheckContext): void {
  for (const loop of dag.loops.values()) {
    const step = flow.stepByName.get(loop.step)!;
    const context = dag.contexts.get(loop.step);
    const body = new Set(loop.body);
    for (const name of loop.body) {
      const s = flow.stepByName.get(name)!;
      const exit = name === loop.step ? undefined : s.edges.find((e) => !body.has(e.to));
      const other = dag.contexts.get(name);
      const sameContext = context && other && other.length === context.length && other.every((f, i) => sameFrame(f, context[i]));
      if (exit || (s.next && s.next.kind !== 'NextSwitch' && s.edges.length > 1) || s.next?.kind === 'NextForeach' || !sameContext || dag.loopOf.get(name) !== loop.step) {
        ctx.report(
          'invalid-loop',
          step.decl.name.span,
          `The loop of step '${loop.step}' (${loop.body.join(', ')}) must be left only through the switch of '${loop.step}', without a split, foreach, join or another loop inside it; step '${name}' ${exit ? `goes to '${exit.to}' outside it` : 'breaks this'}.`,
        );
        break;
      }
    }
  }
}

const sameFrame = (a: Frame, b: Frame): boolean => a.fanout === b.fanout && a.branch === b.branch;

function computeContexts(flow: FlowModel, dag: Dag, ctx: CheckContext): void {
  /** Artifacts produced inside each open foreach: fanout step → name → produced type. */
  const bodyOuts = new Map<string, Map<string, StepModel['outs'][number]>>();
  const reportedUnclosed = new Set<string>();
  /** Steps reported with join-mismatch: steps after them are not reported again. */
  const broken = new Set<string>();
  /**
   * Structure errors wait until every context is known: one about a fan-out some of whose branches lead into a
   * broken edge (a misspelt or missing `next`, a cycle), or about an open step, is not reported, since the
   * missing edges may well close it.
   */
  const pending: { fanouts: string[]; step: string; report: () => void }[] = [];
  const leaky = dag.leaky;
  const backFrom = new Set(dag.backEdges.filter((e) => !(e.kind === 'switch' && dag.loops.has(e.from))).map((e) => e.from));
  const report = (fanouts: string[], step: string, fn: () => void) => pending.push({ fanouts, step, report: fn });
  for (const step of dag.order) {
    const afterBroken = (dag.preds.get(step.name) ?? []).some((e) => broken.has(e.from));
    const incoming: Frame[][] = [];
    for (const e of dag.preds.get(step.name) ?? []) {
      const from = dag.contexts.get(e.from);
      if (!from) continue;
      if (e.kind === 'split' || e.kind === 'foreach') incoming.push([...from, { kind: e.kind, fanout: e.from, branch: e.to }]);
      else incoming.push(from);
    }
    let context: Frame[] = incoming[0] ?? [];
    const allSame = incoming.every((c) => c.length === context.length && c.every((f, i) => sameFrame(f, context[i])));
    if (!allSame) {
      let prefix = 0;
      while (incoming.every((c) => c.length > prefix && sameFrame(c[prefix], incoming[0][prefix]))) prefix++;
      const frames = incoming.map((c) => c[prefix]).filter((f): f is Frame => f !== undefined);
      const fanouts = [...new Set(frames.map((f) => f.fanout))];
      const wellNested = incoming.every((c) => c.length === prefix + 1) && fanouts.length === 1 && frames[0].kind === 'split';
      context = incoming[0].slice(0, prefix);
      if (wellNested) {
        const fanout = flow.stepByName.get(fanouts[0])!;
        const branches = fanout.edges.map((e) => e.to);
        const covered = new Set(frames.map((f) => f.branch));
        const missing = branches.filter((b) => !covered.has(b));
        if (step.name === 'end') {
          reportedUnclosed.add(fanout.name);
          report([fanout.name], step.name, () =>
            ctx.report('unclosed-fanout', fanout.next?.span ?? fanout.decl.name.span, `The split at '${fanout.name}' is not closed by a join before 'end'.`),
          );
        } else if (missing.length > 0) {
          broken.add(step.name);
          if (!afterBroken) report([fanout.name], step.name, () =>
            ctx.report(
              'join-mismatch',
              step.decl.name.span,
              `Step '${step.name}' joins branches ${quoteList([...covered].sort())} of the split at '${fanout.name}' but not ${quoteList(missing)}; a join must close every branch of one split.`,
            ),
          );
        } else {
          dag.joinOf.set(step.name, fanout.name);
          dag.joinFor.set(fanout.name, step.name);
        }
      } else if (!afterBroken) {
        broken.add(step.name);
        const names = [...new Set(incoming.flatMap((c) => c.slice(prefix).map((f) => f.fanout)))];
        report(names, step.name, () =>
          ctx.report(
            'join-mismatch',
            step.decl.name.span,
            names.length === 1
              ? `Step '${step.name}' is reached both from a branch of the ${frames[0]?.kind ?? 'split'} at '${names[0]}' and from outside it; close the branches with a join first.`
              : `Step '${step.name}' joins branches of different fan-outs (${quoteList(names)}); close the inner split or foreach with its own join first.`,
          ),
        );
      } else {
        broken.add(step.name);
      }
    } else if (step.decl.join && step.name !== 'end') {
      // `join step`: closes the innermost open split or foreach, gathering or not.
      const top = context[context.length - 1];
      const joinSpan = step.decl.join.span;
      if (!top) {
        report([], step.name, () =>
          ctx.report('join-closes-nothing', joinSpan, `Step '${step.name}' is marked 'join', but no split or foreach is open where it runs, so it closes nothing.`),
        );
      } else if (top.kind === 'split') {
        // Reached from one branch only (several branches meeting give different contexts).
        const fanout = flow.stepByName.get(top.fanout)!;
        const missing = fanout.edges.map((e) => e.to).filter((b) => b !== top.branch);
        broken.add(step.name);
        if (!afterBroken) report([top.fanout], step.name, () =>
          ctx.report(
            'join-mismatch',
            step.decl.name.span,
            `Step '${step.name}' is marked 'join', but only branch '${top.branch}' of the split at '${top.fanout}' reaches it, not ${quoteList(missing)}; a join must close every branch of one split.`,
          ),
        );
      } else {
        dag.joinOf.set(step.name, top.fanout);
        dag.joinFor.set(top.fanout, step.name);
        context = context.slice(0, -1);
      }
    } else if (context.length > 0 && context[context.length - 1].kind === 'foreach') {
      const top = context[context.length - 1];
      const produced = bodyOuts.get(top.fanout);
      const gathers = step.ins.some((i) => {
        const out = produced?.get(i.name);
        return out !== undefined && i.declared?.kind === 'list' && !isAssignable(out.type, i.declared, ctx.records) && i.decl.from === undefined;
      });
      if (gathers && step.name !== 'end') {
        dag.joinOf.set(step.name, top.fanout);
        dag.joinFor.set(top.fanout, step.name);
        context = context.slice(0, -1);
      }
    }
    dag.contexts.set(step.name, context);
    if (step.unresolvedNext || (!step.next && step.name !== 'end') || backFrom.has(step.name)) {
      leaky.add(step.name);
      for (const frame of context) leaky.add(frame.fanout);
    }
    for (const frame of context) {
      if (frame.kind !== 'foreach') continue;
      let produced = bodyOuts.get(frame.fanout);
      if (!produced) bodyOuts.set(frame.fanout, (produced = new Map()));
      for (const out of step.outs) produced.set(out.name, out);
    }
    if (step.name === 'end') {
      for (const frame of [...context].reverse()) {
        if (reportedUnclosed.has(frame.fanout)) continue;
        reportedUnclosed.add(frame.fanout);
        const fanout = flow.stepByName.get(frame.fanout)!;
        const what = frame.kind === 'split' ? 'split' : 'foreach';
        const hint = frame.kind === 'foreach' ? " (a step closes a foreach by gathering one of its results with 'in x: [T]')" : '';
        report([frame.fanout], step.name, () =>
          ctx.report('unclosed-fanout', fanout.next?.span ?? fanout.decl.name.span, `The ${what} at '${frame.fanout}' is not closed by a join before 'end'${hint}.`),
        );
      }
    }
  }
  for (const p of pending) if (!dag.open.has(p.step) && !p.fanouts.some((f) => leaky.has(f))) p.report();
}

/** For each switch: the first step, in topological order, that every case reaches. */
function computeMerges(flow: FlowModel, dag: Dag): void {
  const position = new Map<string, number>();
  dag.order.forEach((s, i) => position.set(s.name, i));
  for (const step of dag.order) {
    if (step.next?.kind !== 'NextSwitch' || step.edges.length === 0) continue;
    let common: Set<string> | undefined;
    for (const e of step.edges) {
      const seen = new Set<string>([e.to]);
      const work = [e.to];
      while (work.length > 0) {
        for (const next of flow.stepByName.get(work.pop()!)!.edges) {
          if (!seen.has(next.to)) {
            seen.add(next.to);
            work.push(next.to);
          }
        }
      }
      common = common ? new Set([...common].filter((n) => seen.has(n))) : seen;
    }
    let best: string | undefined;
    for (const name of common ?? []) if (best === undefined || position.get(name)! < position.get(best)!) best = name;
    dag.mergeFor.set(step.name, best ?? 'end');
  }
}
