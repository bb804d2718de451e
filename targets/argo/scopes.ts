/**
 * The flow's DAG seen as Argo DAG templates ("scopes").
 *
 * The root scope (key `''`) is the entrypoint DAG. Every foreach step F opens the scope `F`: the steps between F
 * and its join (those whose `foreachStack` ends with F) form F's body, an Argo DAG template called once per
 * element by one task in F's own scope. Every bounded loop opens the scope of its switching step S: the loop's
 * steps form a DAG template that runs one iteration and calls itself for the next (dag.ts), called by one task
 * in the scope around the loop. A step is *represented* in an enclosing scope by itself when it belongs there, or
 * by the body task of the outermost foreach or loop between that scope and the step.
 * Pure: no IO. Iteration order is the IR's step order (topological from `start`), so output is stable.
 */
import type { FlowIR, StepIR } from '../../compiler/ir.ts';

export const ROOT = '';

export interface Scopes {
  /** Every scope key: the root first, then foreach steps and loops' switching steps in IR order. */
  keys: string[];
  step: (name: string) => StepIR;
  /** The switching step of the bounded loop a step belongs to, or undefined. */
  loopOf: (step: string) => string | undefined;
  /** Whether an edge goes back in a bounded loop (from its switching step to a step of the loop). */
  isBackEdge: (from: string, to: string) => boolean;
  /** The steps with an edge into / from a step. */
  edgesInto: (step: string) => string[];
  edgesFrom: (step: string) => string[];
  /** Step names sorted in IR order. */
  inOrder: (steps: string[]) => string[];
  /** The scope a step belongs to. */
  scopeOf: (step: string) => string;
  /** The scope enclosing scope `key` (the scope its foreach step belongs to). */
  parentOf: (key: string) => string;
  /** Nesting depth: 0 for the root. */
  depthOf: (key: string) => number;
  /** The members of a scope, in IR order, each a step, a foreach body (`{ foreach: F }`) or a loop (`{ loop: S }`). */
  members: (key: string) => Member[];
  /** What stands for `step` inside `scope`, or undefined when the step is not within the scope. */
  rep: (step: string, scope: string) => Member | undefined;
  /** The members each member depends on, within one scope. */
  depsOf: (scope: string, member: Member) => Member[];
  /** Switch conditions on a member: `[switchStep, caseIndex]` pairs, outermost first. */
  conditionsOf: (scope: string, member: Member) => [string, number][];
}

export type Member = { kind: 'step'; name: string } | { kind: 'body'; foreach: string } | { kind: 'loop'; loop: string };

const memberKey = (m: Member): string => (m.kind === 'step' ? `s:${m.name}` : m.kind === 'body' ? `b:${m.foreach}` : `l:${m.loop}`);

export function analyzeScopes(ir: FlowIR): Scopes {
  const byName = new Map(ir.steps.map((s) => [s.name, s]));
  const step = (name: string): StepIR => {
    const s = byName.get(name);
    if (!s) throw new Error(`IR names unknown step '${name}'.`);
    return s;
  };
  const loops = new Map<string, string>();
  for (const s of ir.steps) for (const b of s.loop?.body ?? []) loops.set(b, s.name);
  const loopOf = (name: string): string | undefined => loops.get(name);
  const isBackEdge = (from: string, to: string): boolean => loops.get(to) === from && step(from).loop !== undefined;
  /** The scopes a step is inside, outermost first (the root left out): its foreach stack, then its loop. */
  const stackOf = (name: string): string[] => {
    const loop = loops.get(name);
    return loop === undefined ? step(name).foreachStack : [...step(name).foreachStack, loop];
  };
  const scopeOf = (name: string): string => stackOf(name).at(-1) ?? ROOT;
  const keys = [ROOT, ...ir.steps.filter((s) => s.next.kind === 'foreach' || s.loop).map((s) => s.name)];
  const parentOf = (key: string): string => (key === ROOT ? ROOT : (stackOf(key).filter((k) => k !== key).at(-1) ?? ROOT));
  const depthOf = (key: string): number => (key === ROOT ? 0 : stackOf(key).filter((k) => k !== key).length + 1);
  const scopeMember = (key: string): Member => (step(key).loop ? { kind: 'loop', loop: key } : { kind: 'body', foreach: key });

  const rep = (name: string, scope: string): Member | undefined => {
    const stack = stackOf(name);
    if (scopeOf(name) === scope) return { kind: 'step', name };
    const idx = scope === ROOT ? 0 : stack.indexOf(scope) + 1;
    if (scope !== ROOT && idx === 0) return undefined;
    return idx < stack.length ? scopeMember(stack[idx]) : undefined;
  };

  const members = new Map<string, Member[]>(keys.map((k) => [k, []]));
  for (const s of ir.steps) {
    const loop = loops.get(s.name);
    // A loop stands in the scope around it where its first step (in IR order) would.
    if (loop !== undefined && !members.get(parentOf(loop))!.some((m) => m.kind === 'loop' && m.loop === loop)) members.get(parentOf(loop))!.push({ kind: 'loop', loop });
    members.get(scopeOf(s.name))!.push({ kind: 'step', name: s.name });
    if (s.next.kind === 'foreach') members.get(scopeOf(s.name))!.push({ kind: 'body', foreach: s.name });
  }

  // An edge links two members in every scope that holds both steps: the root and the scopes on both stacks
  // (the edge going back in a loop links nothing: the loop's template calls itself). Each edge visits only those
  // scopes, so the work is edges × nesting depth.
  const deps = new Map<string, Map<string, Member[]>>(keys.map((k) => [k, new Map()]));
  const seenDeps = new Set<string>();
  for (const e of ir.edges) {
    if (isBackEdge(e.from, e.to)) continue;
    const toStack = new Set(stackOf(e.to));
    for (const k of [ROOT, ...stackOf(e.from).filter((f) => toStack.has(f))]) {
      const from = rep(e.from, k);
      const to = rep(e.to, k);
      if (!from || !to) continue;
      const fromKey = memberKey(from);
      const toKey = memberKey(to);
      if (fromKey === toKey) continue;
      const pair = `${k}\u0000${toKey}\u0000${fromKey}`;
      if (seenDeps.has(pair)) continue;
      seenDeps.add(pair);
      const byTarget = deps.get(k)!;
      const list = byTarget.get(toKey);
      if (list) list.push(from);
      else byTarget.set(toKey, [from]);
    }
  }
  const order = new Map<string, number>();
  ir.steps.forEach((s, i) => order.set(s.name, i));
  const loopStart = (loop: string): number => Math.min(...step(loop).loop!.body.map((b) => order.get(b)!));
  const orderOf = (m: Member): number => (m.kind === 'step' ? order.get(m.name)! : m.kind === 'body' ? order.get(m.foreach)! + 0.5 : loopStart(m.loop));
  const depsOf = (scope: string, m: Member): Member[] => [...(deps.get(scope)!.get(memberKey(m)) ?? [])].sort((a, b) => orderOf(a) - orderOf(b));

  // Switch conditions: every step reachable from a case's target before the merge runs only on that case. A
  // loop's switch conditions the steps after the loop, in the scope around it (on the case the loop was left by);
  // its cases going back condition nothing.
  const succ = new Map<string, string[]>();
  for (const e of ir.edges) {
    if (isBackEdge(e.from, e.to)) continue;
    const list = succ.get(e.from);
    if (list) list.push(e.to);
    else succ.set(e.from, [e.to]);
  }
  const conds = new Map<string, [string, number][]>();
  for (const s of ir.steps) {
    if (s.next.kind !== 'switch') continue;
    const sw = s.next;
    const scope = s.loop ? parentOf(s.name) : scopeOf(s.name);
    const targets = [...sw.cases.map((c) => c.to), ...(sw.default !== null ? [sw.default] : [])];
    targets.forEach((target, caseIdx) => {
      const seen = new Set<string>();
      const queue = target === sw.merge || isBackEdge(s.name, target) ? [] : [target];
      for (let head = 0; head < queue.length; head++) {
        const cur = queue[head];
        if (seen.has(cur) || cur === sw.merge) continue;
        seen.add(cur);
        queue.push(...(succ.get(cur) ?? []));
      }
      // The member that holds the merge runs on every case (a loop the branches meet inside of), so it is not marked.
      const mergeMember = byName.has(sw.merge) ? rep(sw.merge, scope) : undefined;
      const marked = new Set<string>(mergeMember ? [memberKey(mergeMember)] : []);
      for (const name of seen) {
        const m = rep(name, scope);
        if (!m || marked.has(memberKey(m))) continue;
        marked.add(memberKey(m));
        const key = `${scope}\u0000${memberKey(m)}`;
        const list = conds.get(key);
        if (list) list.push([s.name, caseIdx]);
        else conds.set(key, [[s.name, caseIdx]]);
      }
    });
  }
  const conditionsOf = (scope: string, m: Member): [string, number][] => conds.get(`${scope}\u0000${memberKey(m)}`) ?? [];
  const into = new Map<string, string[]>();
  const from = new Map<string, string[]>();
  for (const e of ir.edges) {
    into.set(e.to, [...(into.get(e.to) ?? []), e.from]);
    from.set(e.from, [...(from.get(e.from) ?? []), e.to]);
  }
  const edgesInto = (name: string): string[] => into.get(name) ?? [];
  const edgesFrom = (name: string): string[] => from.get(name) ?? [];
  const inOrder = (names: string[]): string[] => [...names].sort((a, b) => order.get(a)! - order.get(b)!);

  return { keys, step, loopOf, isBackEdge, edgesInto, edgesFrom, inOrder, scopeOf, parentOf, depthOf, members: (k) => members.get(k)!, rep, depsOf, conditionsOf };
}
