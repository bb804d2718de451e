/**
 * The flow's DAG seen as Argo DAG templates ("scopes").
 *
 * The root scope (key `''`) is the entrypoint DAG. Every foreach step F opens the scope `F`: the steps between F
 * and its join (those whose `foreachStack` ends with F) form F's body, an Argo DAG template called once per
 * element by one task in F's own scope. A step is *represented* in an enclosing scope by itself when it belongs
 * there, or by the body task of the outermost foreach between that scope and the step.
 * Pure: no IO. Iteration order is the IR's step order (topological from `start`), so output is stable.
 */
import type { FlowIR, StepIR } from '../../compiler/ir.ts';

export const ROOT = '';

export interface Scopes {
  /** Every scope key: the root first, then foreach steps in IR order. */
  keys: string[];
  step: (name: string) => StepIR;
  /** The scope a step belongs to. */
  scopeOf: (step: string) => string;
  /** The scope enclosing scope `key` (the scope its foreach step belongs to). */
  parentOf: (key: string) => string;
  /** Nesting depth: 0 for the root. */
  depthOf: (key: string) => number;
  /** The members of a scope, in IR order, each a step or a foreach body (`{ body: F }`). */
  members: (key: string) => Member[];
  /** What stands for `step` inside `scope`, or undefined when the step is not within the scope. */
  rep: (step: string, scope: string) => Member | undefined;
  /** The members each member depends on, within one scope. */
  depsOf: (scope: string, member: Member) => Member[];
  /** Switch conditions on a member: `[switchStep, caseIndex]` pairs, outermost first. */
  conditionsOf: (scope: string, member: Member) => [string, number][];
}

export type Member = { kind: 'step'; name: string } | { kind: 'body'; foreach: string };

export const memberKey = (m: Member): string => (m.kind === 'step' ? `s:${m.name}` : `b:${m.foreach}`);

export function analyzeScopes(ir: FlowIR): Scopes {
  const byName = new Map(ir.steps.map((s) => [s.name, s]));
  const step = (name: string): StepIR => {
    const s = byName.get(name);
    if (!s) throw new Error(`IR names unknown step '${name}'.`);
    return s;
  };
  const scopeOf = (name: string): string => step(name).foreachStack.at(-1) ?? ROOT;
  const keys = [ROOT, ...ir.steps.filter((s) => s.next.kind === 'foreach').map((s) => s.name)];
  const parentOf = (key: string): string => (key === ROOT ? ROOT : scopeOf(key));
  const depthOf = (key: string): number => (key === ROOT ? 0 : step(key).foreachStack.length + 1);

  const rep = (name: string, scope: string): Member | undefined => {
    const stack = step(name).foreachStack;
    if (scopeOf(name) === scope) return { kind: 'step', name };
    const idx = scope === ROOT ? 0 : stack.indexOf(scope) + 1;
    if (scope !== ROOT && idx === 0) return undefined;
    return idx < stack.length ? { kind: 'body', foreach: stack[idx] } : undefined;
  };

  const members = new Map<string, Member[]>(keys.map((k) => [k, []]));
  for (const s of ir.steps) {
    members.get(scopeOf(s.name))!.push({ kind: 'step', name: s.name });
    if (s.next.kind === 'foreach') members.get(scopeOf(s.name))!.push({ kind: 'body', foreach: s.name });
  }

  // An edge links two members in every scope that holds both steps: the root and the foreach steps on both
  // stacks. Each edge visits only those scopes, so the work is edges × nesting depth.
  const deps = new Map<string, Map<string, Member[]>>(keys.map((k) => [k, new Map()]));
  const seenDeps = new Set<string>();
  for (const e of ir.edges) {
    const toStack = new Set(step(e.to).foreachStack);
    for (const k of [ROOT, ...step(e.from).foreachStack.filter((f) => toStack.has(f))]) {
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
  const orderOf = (m: Member): number => order.get(m.kind === 'step' ? m.name : m.foreach)! + (m.kind === 'body' ? 0.5 : 0);
  const depsOf = (scope: string, m: Member): Member[] => [...(deps.get(scope)!.get(memberKey(m)) ?? [])].sort((a, b) => orderOf(a) - orderOf(b));

  // Switch conditions: every step reachable from a case's target before the merge runs only on that case.
  const succ = new Map<string, string[]>();
  for (const e of ir.edges) {
    const list = succ.get(e.from);
    if (list) list.push(e.to);
    else succ.set(e.from, [e.to]);
  }
  const conds = new Map<string, [string, number][]>();
  for (const s of ir.steps) {
    if (s.next.kind !== 'switch') continue;
    const sw = s.next;
    const scope = scopeOf(s.name);
    const targets = [...sw.cases.map((c) => c.to), ...(sw.default !== null ? [sw.default] : [])];
    targets.forEach((target, caseIdx) => {
      const seen = new Set<string>();
      const queue = target === sw.merge ? [] : [target];
      for (let head = 0; head < queue.length; head++) {
        const cur = queue[head];
        if (seen.has(cur) || cur === sw.merge) continue;
        seen.add(cur);
        queue.push(...(succ.get(cur) ?? []));
      }
      const marked = new Set<string>();
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

  return { keys, step, scopeOf, parentOf, depthOf, members: (k) => members.get(k)!, rep, depsOf, conditionsOf };
}
