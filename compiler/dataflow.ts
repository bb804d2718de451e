/**
 * Phase 3, the artifact dataflow: what each step can read, and where every `in` comes from.
 *
 * Codes: unknown-artifact, artifact-not-available, ambiguous-join-read, ambiguous-merge-read, invalid-pick,
 * type-mismatch, undeclared-subject, foreach-not-list, invalid-switch-type, duplicate-case.
 *
 * Semantics (Metaflow's, made static): a step sees what its predecessor saw plus what the predecessor produced.
 * Where the branches of a switch reconverge, a name is visible only if every branch has it; when the branches
 * produce it with different types, a read must declare a type that accepts every one of them. A join is a barrier:
 * it sees what was visible after the fanning-out step ran; branch results reach it only through a gather
 * (`in x: [T]`) or a pick (`in x: T from a`), and go further only as the join's own outputs. The element of a
 * foreach is visible in the foreach body under the name given by `foreach NAME in LIST`, and neither at its join
 * nor after it (reading it there is `artifact-not-available`). Parameters are read
 * like artifacts when no artifact of that name is visible.
 * Runs on every step of the DAG's order, sound or not. At an *open* step (whose incoming edges are not all known,
 * see `Dag.open`) a name that is not visible may still come through a missing edge: such a read is reported only
 * when it is wrong whatever the graph (no step produces the name, or no producer's type fits the declared one).
 */
import { describeType } from './ir.ts';
import type { Ident, InDecl, NextForeach, NextSwitch, PassDecl } from '../grammar/ast.ts';
import type { Span } from '../diagnostics/types.ts';
import type { InputSourceIR } from './ir.ts';
import { addReference, quoteList, type CheckContext } from './context.ts';
import type { Dag, LoopInfo } from './dag.ts';
import { Env, type Binding, type TypeVariant } from './env.ts';
import { didYouMean, suggest } from '../diagnostics/suggest.ts';
import { caseLabel, type FlowModel, type InModel, type StepModel } from './resolve.ts';
import { errorType, isAssignable, isOptional, whyNotAssignable, type RecordTable, type Type } from './sem-types.ts';
import type { ArtifactSymbol, ItemSymbol, Symbol } from './symbols.ts';

export interface ResolvedInput {
  decl: InDecl;
  name: string;
  /** The declared type, else the inferred one (error type when unresolved). */
  type: Type;
  /** Undefined when the input could not be resolved (a diagnostic was reported). */
  source: InputSourceIR | undefined;
}

export interface StepFlow {
  /** What the step can read (before its body ran). */
  envIn: Env;
  /** What later steps see through this one: `envIn` plus this step's outputs. */
  envOut: Env;
  inputs: ResolvedInput[];
  /** The switch subject or foreach list, resolved to its type (error type when unresolved). */
  subjectType: Type | undefined;
}

export interface Dataflow {
  steps: Map<string, StepFlow>;
  /** Parameters read by some `in`. Templates add theirs later. */
  usedParams: Set<string>;
}

const sortedUnique = (names: Iterable<string>): string[] => [...new Set(names)].sort();
const sameBinding = (a: Binding, b: Binding): boolean => a === b || (a.kind === b.kind && a.producers.join('\0') === b.producers.join('\0'));

export function analyzeDataflow(flow: FlowModel, dag: Dag, ctx: CheckContext): Dataflow {
  const result: Dataflow = { steps: new Map(), usedParams: new Set() };
  const steps = result.steps;

  for (const step of dag.order) {
    let envIn = computeEnvIn(step, flow, dag, steps, ctx.records);
    const loops = [...dag.loops.values()].filter((l) => l.heads.includes(step.name));
    if (loops.length > 0) envIn = withLoopProducers(envIn, loops, flow, ctx.records);
    const flowInfo: StepFlow = { envIn, envOut: envIn, inputs: [], subjectType: undefined };
    steps.set(step.name, flowInfo);
    const join = dag.joinOf.get(step.name);
    for (const input of step.ins) {
      flowInfo.inputs.push(join ? resolveJoinInput(input, step, join, flow, dag, steps, result, ctx) : resolveInput(input, step, flow, dag, steps, result, ctx));
    }
    const outs: Binding[] = join && step.passes.length > 0 ? resolvePasses(step, join, flow, dag, steps, ctx) : [];
    if (!join) for (const p of step.passes) reportInvalidPass(step, p, ctx);
    for (const out of step.outs) outs.push({ name: out.name, type: out.type, kind: 'artifact', producers: [step.name] });
    if (step.catchVar) outs.push({ name: step.catchVar.name, type: step.catchVar.type, kind: 'artifact', producers: [step.name] });
    flowInfo.envOut = envIn.with(outs);
    if (step.next?.kind === 'NextSwitch') flowInfo.subjectType = checkSwitch(step, step.next, flowInfo, flow, ctx);
    if (step.next?.kind === 'NextForeach') flowInfo.subjectType = checkForeach(step, step.next, flowInfo, flow, ctx);
  }
  return result;
}

/**
 * At the head of a bounded loop: what it sees on the first iteration (its forward environment), where a name that
 * a step of the loop also produces may come from that step on later iterations (its producers and types join).
 * A name produced only inside the loop is not visible at the head: the first iteration does not have it.
 */
function withLoopProducers(env: Env, loops: LoopInfo[], flow: FlowModel, records: RecordTable): Env {
  const changed: Binding[] = [];
  for (const b of env.flatten().values()) {
    if (b.kind !== 'artifact') continue;
    const more: Binding[] = [];
    for (const loop of loops) {
      for (const name of loop.body) {
        const s = flow.stepByName.get(name)!;
        const out = s.outs.find((o) => o.name === b.name) ?? (s.catchVar?.name === b.name ? s.catchVar : undefined);
        if (out) more.push({ name: b.name, type: out.type, kind: 'artifact', producers: [name] });
      }
    }
    if (more.length > 0) changed.push(mergeBindings([b, ...more], records));
  }
  return changed.length > 0 ? env.with(changed) : env;
}

function computeEnvIn(step: StepModel, flow: FlowModel, dag: Dag, steps: Map<string, StepFlow>, records: RecordTable): Env {
  const join = dag.joinOf.get(step.name);
  if (join) return steps.get(join)?.envOut ?? Env.empty;
  const preds = (dag.preds.get(step.name) ?? []).filter((e) => steps.has(e.from));
  if (preds.length === 0) return Env.empty;
  if (preds.length === 1) {
    const e = preds[0];
    const base = steps.get(e.from)!.envOut;
    if (e.kind !== 'foreach') return base;
    const item = flow.symbols.items.get(e.from);
    if (!item) return base;
    const next = flow.stepByName.get(e.from)!.next as NextForeach;
    return base.with([{ name: item.name, type: item.type, kind: 'item', producers: [e.from], foreach: e.from, list: next.list?.name ?? '' }]);
  }
  // A merge (switch branches reconverging): a name is visible only when every incoming path has it. At an open
  // step, where some paths are unknown, a name that some path has is visible.
  const envs = preds.map((e) => steps.get(e.from)!.envOut);
  if (envs.every((env) => env === envs[0])) return envs[0];
  const flat = envs.map((env) => env.flatten());
  const open = dag.open.has(step.name);
  const merged = new Map<string, Binding>();
  for (const m of open ? flat : flat.slice(0, 1)) {
    for (const [name, first] of m) {
      if (merged.has(name)) continue;
      const all = flat.map((f) => f.get(name));
      if (open ? all.some((b) => b !== undefined && b.kind !== first.kind) : all.some((b) => b === undefined || b.kind !== first.kind)) continue;
      merged.set(name, mergeBindings(all.filter((b): b is Binding => b !== undefined), records));
    }
  }
  return Env.of(merged.values());
}

const variantsOf = (binding: Binding): readonly TypeVariant[] => binding.variants ?? [{ type: binding.type, producers: binding.producers }];

/**
 * One name's bindings on the paths that reconverge at a step, as one binding: the producers united, and when they
 * give the artifact different types, one variant per type (the error type agrees with everything).
 */
function mergeBindings(all: Binding[], records: RecordTable): Binding {
  const first = all[0];
  if (all.every((b) => b === first)) return first;
  const producers = sortedUnique(all.flatMap((b) => b.producers));
  const byType = new Map<string, TypeVariant>();
  for (const b of all) {
    for (const v of variantsOf(b)) {
      if (v.type.kind === 'error') continue;
      const key = describeType(v.type);
      const seen = byType.get(key);
      byType.set(key, { type: v.type, producers: seen ? sortedUnique([...seen.producers, ...v.producers]) : v.producers });
    }
  }
  const { variants: _, ...rest } = first;
  const variants = [...byType.values()];
  if (variants.length <= 1) return { ...rest, producers, type: variants[0]?.type ?? first.type };
  const wide = variants.find((w) => variants.every((v) => isAssignable(v.type, w.type, records)));
  return { ...rest, producers, type: wide?.type ?? errorType, variants };
}

function symbolFor(binding: Binding, flow: FlowModel): Symbol | undefined {
  if (binding.kind === 'item') return flow.symbols.items.get(binding.foreach ?? '');
  return flow.symbols.artifacts.get(binding.name);
}

function describeProducers(binding: Binding, variant: TypeVariant = binding): string {
  if (binding.kind === 'item') return `the foreach at '${binding.foreach}' gives it as ${describeType(binding.type)}`;
  const who = variant.producers.length === 1 ? `step '${variant.producers[0]}' produces` : `steps ${quoteList(variant.producers)} produce`;
  return `${who} it as ${describeType(variant.type)}`;
}

/**
 * Checks a read of `binding` against the type it is read as (every producer's type must be assignable to it)
 * and returns the input's type. Without a declared type, producers that disagree are an `ambiguous-merge-read`.
 */
function checkRead(input: InModel, step: StepModel, binding: Binding, ctx: CheckContext, flow?: FlowModel): Type {
  if (!input.declared && binding.variants) {
    const kinds = binding.variants.map((v) => `${v.producers.length === 1 ? `step '${v.producers[0]}'` : `steps ${quoteList(v.producers)}`} as ${describeType(v.type)}`);
    const hint = binding.type.kind === 'error' ? 'a type that accepts all of them, such as json' : `the type to read it as, e.g. 'in ${input.name}: ${describeType(binding.type)}'`;
    ctx.report(
      'ambiguous-merge-read',
      input.decl.name.span,
      `Step '${step.name}' reads '${input.name}' without a type, but the branches of a switch produce it with different types (${kinds.join(', ')}); declare ${hint}.`,
      { data: { types: binding.variants.map((v) => describeType(v.type)) } },
    );
    return errorType;
  }
  for (const v of variantsOf(binding)) checkType(input, step, v.type, describeProducers(binding, v), ctx);
  const caught = flow ? caughtProducers(binding, flow) : [];
  if (caught.length > 0 && !input.declared) return binding.type.kind === 'optional' ? binding.type : { kind: 'optional', inner: binding.type };
  if (caught.length > 0 && input.declared && !isOptional(input.declared)) {
    const type = describeType(input.declared);
    reportCaught(input, step, caught, `reads '${input.name}' as ${type}`, `read it as optional: 'in ${input.name}: ${type}?' (null when the task failed)`, ctx);
  }
  return input.declared ?? binding.type;
}

/**
 * The producers of an artifact binding that have `@catch` (whose failed tasks do not produce it). A `file` or
 * `dir` is left alone: it travels as a path, which an optional type (stored as JSON) would not keep.
 */
function caughtProducers(binding: Binding, flow: FlowModel): string[] {
  if (binding.kind !== 'artifact' || binding.type.kind === 'file' || binding.type.kind === 'dir') return [];
  return binding.producers.filter((p) => {
    const catchVar = flow.stepByName.get(p)?.catchVar;
    return catchVar !== undefined && catchVar.name !== binding.name;
  });
}

function reportCaught(input: InModel, step: StepModel, caught: string[], what: string, fix: string, ctx: CheckContext): void {
  const who = caught.length === 1 ? `step '${caught[0]}' has` : `steps ${quoteList(caught)} have`;
  ctx.report(
    'caught-output-not-optional',
    input.decl.type?.span ?? input.decl.name.span,
    `Step '${step.name}' ${what}, but ${who} @catch: a task that failed and was caught produces no '${input.name}'; ${fix}.`,
    { data: { fix } },
  );
}

function checkType(input: InModel, step: StepModel, actual: Type, describe: string, ctx: CheckContext, expected = input.declared, verb = 'reads'): void {
  if (!expected) return;
  const why = whyNotAssignable(actual, expected, ctx.records);
  if (why === undefined) return;
  const detail = why ? ` (${why})` : '';
  ctx.report('type-mismatch', input.decl.type?.span ?? input.decl.name.span, `Step '${step.name}' ${verb} '${input.name}' as ${describeType(expected)}, but ${describe}${detail}.`, {
    data: { expected: describeType(expected), actual: describeType(actual) },
  });
}

function resolveInput(input: InModel, step: StepModel, flow: FlowModel, dag: Dag, steps: Map<string, StepFlow>, result: Dataflow, ctx: CheckContext): ResolvedInput {
  const flowInfo = steps.get(step.name)!;
  if (input.decl.from?.name) {
    const from = flow.symbols.steps.get(input.decl.from.name);
    if (from) addReference(ctx, from, input.decl.from);
    // At an open step the missing edges may make it a join.
    if (!dag.open.has(step.name)) ctx.report('invalid-pick', input.decl.from.span, `Step '${step.name}' is not a join, so 'from' cannot pick a branch for '${input.name}'.`);
  }
  const binding = flowInfo.envIn.lookup(input.name);
  if (binding && input.declared?.kind === 'list' && mayBeJoin(step, dag) && isAssignable(binding.type, input.declared.element, ctx.records)) {
    // Inside a split or foreach one of whose branches runs into a broken edge, this may be a join gathering it.
    const sym = symbolFor(binding, flow);
    if (sym) addReference(ctx, sym, input.decl.name);
    return { decl: input.decl, name: input.name, type: input.declared, source: undefined };
  }
  if (binding) return readBinding(input, step, flow, binding, ctx);
  return resolveParamOrMissing(input, step, flow, dag, steps, result, ctx);
}

/** True when a broken edge may hide that `step` is the join of a split or foreach around it. */
function mayBeJoin(step: StepModel, dag: Dag): boolean {
  return dag.open.has(step.name) || (dag.contexts.get(step.name) ?? []).some((f) => dag.leaky.has(f.fanout));
}

/** An input read from an artifact or foreach element visible at the step: its reference, type check and source. */
function readBinding(input: InModel, step: StepModel, flow: FlowModel, binding: Binding, ctx: CheckContext): ResolvedInput {
  const sym = symbolFor(binding, flow);
  if (sym) addReference(ctx, sym, input.decl.name);
  const type = checkRead(input, step, binding, ctx, flow);
  const source: InputSourceIR =
    binding.kind === 'item' ? { kind: 'item', foreach: binding.foreach!, list: binding.list! } : { kind: 'artifact', artifact: input.name, producers: binding.producers };
  return { decl: input.decl, name: input.name, type, source };
}

function resolveParamOrMissing(input: InModel, step: StepModel, flow: FlowModel, dag: Dag, steps: Map<string, StepFlow>, result: Dataflow, ctx: CheckContext): ResolvedInput {
  const param = flow.symbols.params.get(input.name);
  if (param) {
    result.usedParams.add(param.name);
    addReference(ctx, param, input.decl.name);
    checkType(input, step, param.type, `parameter '${param.name}' is declared as ${describeType(param.type)}`, ctx);
    return { decl: input.decl, name: input.name, type: input.declared ?? param.type, source: { kind: 'param', param: param.name } };
  }
  const artifact = flow.symbols.artifacts.get(input.name);
  const item = artifact ? undefined : [...flow.symbols.items.values()].find((it) => it.name === input.name);
  if ((artifact || item) && dag.open.has(step.name)) return readUnknownPath(input, step, artifact, item, ctx);
  if (item) {
    addReference(ctx, item, input.decl.name);
    const list = item.decl.list?.name;
    const hint = list ? `; the list '${list}' it iterates over is still visible` : '';
    ctx.report(
      'artifact-not-available',
      input.decl.name.span,
      `Step '${step.name}' reads '${input.name}', the element of the foreach at '${item.foreach}', which is visible only inside the foreach, not at its join or after it${hint}.`,
      { related: [{ ...item.nameSpan, message: `'${input.name}' is the element of the foreach at '${item.foreach}'.` }] },
    );
  } else if (artifact) {
    addReference(ctx, artifact, input.decl.name);
    const path = pathWithout(input.name, step.name, flow, dag, steps);
    ctx.report('artifact-not-available', input.decl.name.span, `Step '${step.name}' reads artifact '${input.name}', which is not produced on the path ${path.join(' → ')}.`, {
      data: { path },
      related: artifact.decls.map((d) => ({ ...d.decl.name.span, message: `'${input.name}' is produced by step '${d.step}'.` })),
    });
  } else {
    const envNames = steps.get(step.name)!.envIn.flatten().keys();
    const suggestion = suggest(input.name, [...envNames, ...flow.symbols.params.keys()]);
    ctx.report('unknown-artifact', input.decl.name.span, `Step '${step.name}' reads '${input.name}', which no step produces and no parameter declares.${didYouMean(suggestion)}`, {
      data: suggestion ? { suggestion } : undefined,
    });
  }
  return { decl: input.decl, name: input.name, type: input.declared ?? errorType, source: undefined };
}

/**
 * A read at an open step of a name that is not visible there but that some step produces (or a foreach gives): the
 * value would come through an edge the graph is missing, so only a type that no producer's fits is reported (a
 * list type also accepts producers of its element type, as a gather would).
 */
function readUnknownPath(input: InModel, step: StepModel, artifact: ArtifactSymbol | undefined, item: ItemSymbol | undefined, ctx: CheckContext): ResolvedInput {
  const symbol = artifact ?? item!;
  addReference(ctx, symbol, input.decl.name);
  const declared = input.declared;
  const variants: TypeVariant[] = artifact ? artifact.decls.map((d) => ({ type: d.type, producers: [d.step] })) : [{ type: item!.type, producers: [item!.foreach] }];
  const fits = (t: Type) => !declared || isAssignable(t, declared, ctx.records) || (declared.kind === 'list' && isAssignable(t, declared.element, ctx.records));
  if (declared && !variants.some((v) => fits(v.type))) {
    const binding: Binding = artifact
      ? { name: input.name, kind: 'artifact', type: variants[0].type, producers: variants.flatMap((v) => v.producers).sort(), variants: variants.length > 1 ? variants : undefined }
      : { name: input.name, kind: 'item', type: item!.type, producers: [item!.foreach], foreach: item!.foreach };
    for (const v of variantsOf(binding)) checkType(input, step, v.type, describeProducers(binding, v), ctx);
  }
  return { decl: input.decl, name: input.name, type: declared ?? (variants.length === 1 ? variants[0].type : errorType), source: undefined };
}

/** One path from `start` to `stepName` on which `name` is never produced (joins count as barriers). */
function pathWithout(name: string, stepName: string, flow: FlowModel, dag: Dag, steps: Map<string, StepFlow>): string[] {
  const path = [stepName];
  let cur = stepName;
  for (let guard = 0; cur !== 'start' && guard <= flow.steps.length; guard++) {
    const join = dag.joinOf.get(cur);
    const preds = (dag.preds.get(cur) ?? []).filter((e) => steps.has(e.from));
    if (preds.length === 0) break;
    if (join) {
      // Walk one branch back to the fanning-out step; the branch's own outputs do not pass the barrier.
      const branch: string[] = [];
      let at = preds[0].from;
      for (let g = 0; at !== join && g <= flow.steps.length; g++) {
        branch.unshift(at);
        const p = (dag.preds.get(at) ?? []).find((e) => steps.has(e.from));
        if (!p) break;
        at = p.from;
      }
      path.unshift(join, ...branch);
      cur = join;
      continue;
    }
    const pick = preds.find((e) => !steps.get(e.from)!.envOut.lookup(name)) ?? preds[0];
    path.unshift(pick.from);
    cur = pick.from;
  }
  return path;
}

interface JoinBranches {
  over: 'split' | 'foreach';
  /** The first step of each branch, in `next` order (one for a foreach). */
  branches: string[];
  /** What was visible right after the fanning-out step ran. */
  base: Binding | undefined;
  /** The name's binding at the end of each branch (undefined where it is not visible). */
  perBranch: (Binding | undefined)[];
  /** True when some branch produced the name (its binding differs from `base`). */
  inBranches: boolean;
}

/** Where a name comes from at a join: before the split, and at the end of each branch. */
function joinBranches(name: string, step: StepModel, fanoutName: string, flow: FlowModel, dag: Dag, steps: Map<string, StepFlow>, records: RecordTable): JoinBranches {
  const fanout = flow.stepByName.get(fanoutName)!;
  const over: 'split' | 'foreach' = fanout.next?.kind === 'NextForeach' ? 'foreach' : 'split';
  const depth = dag.contexts.get(step.name)!.length;
  const branches = fanout.edges.map((e) => e.to);
  const branchPreds = new Map<string, string[]>(branches.map((b) => [b, []]));
  for (const e of dag.preds.get(step.name) ?? []) {
    const frame = dag.contexts.get(e.from)?.[depth];
    const branch = e.from === fanoutName ? e.to : frame?.fanout === fanoutName ? frame.branch : undefined;
    if (branch !== undefined) branchPreds.get(branch)?.push(e.from);
  }
  const base = steps.get(fanoutName)!.envOut.lookup(name);
  // The element of the foreach being joined stays inside it: it is not a result of the body.
  const fromBranch = (p: string): Binding | undefined => {
    const b = steps.get(p)?.envOut.lookup(name);
    return b?.kind === 'item' && b.foreach === fanoutName ? undefined : b;
  };
  const perBranch = branches.map((b) => {
    const found = branchPreds.get(b)!.map((p) => (p === fanoutName ? base : fromBranch(p)));
    if (found.length === 0 || found.some((x) => x === undefined)) return undefined;
    const first = found[0]!;
    return found.every((x) => sameBinding(x!, first)) ? first : mergeBindings(found as Binding[], records);
  });
  const inBranches = perBranch.some((b) => b !== undefined && (!base || !sameBinding(b, base)));
  return { over, branches, base, perBranch, inBranches };
}

function reportInvalidPass(step: StepModel, decl: PassDecl, ctx: CheckContext): void {
  ctx.report('invalid-pass', decl.span, `Step '${step.name}' is not a join, so it has nothing to pass on; 'pass' belongs in the step that closes a split.`);
}

/**
 * `pass a, b` / `pass *` at a join: the artifacts exactly one branch produced go on past the join, as if the join
 * produced them (with that branch's producers). A name visible before the split passes anyway; a name several
 * branches (or every task of a foreach) produced needs a gather or a pick instead.
 */
function resolvePasses(step: StepModel, fanoutName: string, flow: FlowModel, dag: Dag, steps: Map<string, StepFlow>, ctx: CheckContext): Binding[] {
  const passed: Binding[] = [];
  const declared = new Set([...step.ins.map((i) => i.name), ...step.outs.map((o) => o.name)]);
  const pass = (name: string, span: Span | undefined): void => {
    const jb = joinBranches(name, step, fanoutName, flow, dag, steps, ctx.records);
    const producing = jb.branches.filter((_, i) => jb.perBranch[i] !== undefined && (!jb.base || !sameBinding(jb.perBranch[i]!, jb.base)));
    if (producing.length === 0) {
      if (jb.base || !span) return;
      const artifact = flow.symbols.artifacts.get(name);
      if (artifact) addReference(ctx, artifact, { kind: 'Ident', name, span });
      ctx.report(artifact ? 'artifact-not-available' : 'unknown-artifact', span, `Step '${step.name}' passes on '${name}', which no branch of the ${jb.over} at '${fanoutName}' produces and which is not visible before it.`);
      return;
    }
    const artifact = flow.symbols.artifacts.get(name);
    if (artifact && span) addReference(ctx, artifact, { kind: 'Ident', name, span });
    if (producing.length > 1 || jb.over === 'foreach') {
      const what = jb.over === 'foreach' ? `every task of the foreach at '${fanoutName}' produces it` : `branches ${quoteList(producing)} of the split at '${fanoutName}' all produce it`;
      const hint = jb.over === 'foreach' ? `gather it with 'in ${name}: [T]'` : `gather it with 'in ${name}: [T]' or pick one with 'in ${name}: T from ${producing[0]}'`;
      ctx.report('ambiguous-pass', span ?? step.decl.name.span, `Step '${step.name}' passes on '${name}', but ${what}; ${hint}.`, { data: { branches: producing } });
      return;
    }
    passed.push(jb.perBranch[jb.branches.indexOf(producing[0])]!);
  };
  for (const decl of step.passes) {
    if (decl.all) {
      const names = new Set<string>();
      for (const e of dag.preds.get(step.name) ?? []) for (const name of steps.get(e.from)?.envOut.flatten().keys() ?? []) names.add(name);
      for (const name of names) if (!declared.has(name)) pass(name, undefined);
    } else {
      for (const ident of decl.names) pass(ident.name, ident.span);
    }
  }
  return passed;
}

function resolveJoinInput(
  input: InModel,
  step: StepModel,
  fanoutName: string,
  flow: FlowModel,
  dag: Dag,
  steps: Map<string, StepFlow>,
  result: Dataflow,
  ctx: CheckContext,
): ResolvedInput {
  const { over, branches, base, perBranch, inBranches } = joinBranches(input.name, step, fanoutName, flow, dag, steps, ctx.records);
  const depth = dag.contexts.get(step.name)!.length;
  const artifact = flow.symbols.artifacts.get(input.name);
  if (artifact && (inBranches || input.decl.from)) addReference(ctx, artifact, input.decl.name);

  if (input.decl.from?.name) {
    const fromIdent = input.decl.from;
    const from = flow.symbols.steps.get(fromIdent.name);
    if (!from) {
      const suggestion = suggest(fromIdent.name, flow.symbols.steps.keys());
      ctx.report('unknown-step', fromIdent.span, `Flow '${flow.name}' has no step '${fromIdent.name}'.${didYouMean(suggestion)}`, {
        data: suggestion ? { suggestion } : undefined,
      });
      return { decl: input.decl, name: input.name, type: input.declared ?? errorType, source: undefined };
    }
    addReference(ctx, from, fromIdent);
    const frame = dag.contexts.get(from.name)?.[depth];
    const branch = frame?.fanout === fanoutName ? frame.branch : undefined;
    if (over !== 'split' || branch === undefined) {
      ctx.report('invalid-pick', fromIdent.span, `Step '${from.name}' is not on a branch of the split at '${fanoutName}' that step '${step.name}' joins.`);
      return { decl: input.decl, name: input.name, type: input.declared ?? errorType, source: undefined };
    }
    const picked = perBranch[branches.indexOf(branch)];
    if (!picked) {
      ctx.report('artifact-not-available', input.decl.name.span, `Step '${step.name}' picks '${input.name}' from the branch through '${from.name}', which does not produce it.`);
      return { decl: input.decl, name: input.name, type: input.declared ?? errorType, source: undefined };
    }
    const type = checkRead(input, step, picked, ctx, flow);
    return { decl: input.decl, name: input.name, type, source: { kind: 'pick', artifact: input.name, from: from.name, producers: picked.producers } };
  }

  if (inBranches) {
    if (input.declared?.kind !== 'list') {
      const pickHint = over === 'split' ? ` or pick one with 'in ${input.name}: T from ${branches[0]}'` : '';
      ctx.report(
        'ambiguous-join-read',
        input.decl.name.span,
        `Step '${step.name}' reads '${input.name}', which the ${over} at '${fanoutName}' produces on ${over === 'split' ? 'several branches' : 'every task'}; gather it with 'in ${input.name}: [T]'${pickHint}.`,
      );
      return { decl: input.decl, name: input.name, type: input.declared ?? errorType, source: undefined };
    }
    const element = input.declared.element;
    let ok = true;
    let reportedCaught = false;
    branches.forEach((b, i) => {
      const got = perBranch[i];
      if (!got && dag.open.has(step.name)) ok = false;
      else if (!got) {
        ok = false;
        const path = [fanoutName, b];
        ctx.report('artifact-not-available', input.decl.name.span, `Step '${step.name}' gathers '${input.name}', which is not produced on the branch ${path.join(' → ')} of the ${over} at '${fanoutName}'.`, {
          data: { path },
        });
      } else {
        for (const v of variantsOf(got)) checkType(input, step, v.type, describeProducers(got, v), ctx, element, 'gathers the elements of');
        const caught = caughtProducers(got, flow);
        if (caught.length > 0 && !isOptional(element) && !reportedCaught) {
          reportedCaught = true;
          const type = describeType(element);
          reportCaught(input, step, caught, `gathers '${input.name}' as [${type}]`, `gather it as '[${type}?]' (null for the tasks that failed)`, ctx);
        }
      }
    });
    if (!ok) return { decl: input.decl, name: input.name, type: input.declared, source: undefined };
    return {
      decl: input.decl,
      name: input.name,
      type: input.declared,
      source: { kind: 'gather', artifact: input.name, over, branches: perBranch.map((b) => ({ producers: b!.producers })) },
    };
  }
  if (base) return readBinding(input, step, flow, base, ctx);
  return resolveParamOrMissing(input, step, flow, dag, steps, result, ctx);
}

/** The type of a switch subject or foreach list: an output of the step or an input it declares. */
function subjectType(step: StepModel, flowInfo: StepFlow, ident: Ident, flow: FlowModel, ctx: CheckContext, what: string): Type | undefined {
  const out = step.outs.find((o) => o.name === ident.name);
  if (out) {
    const sym = flow.symbols.artifacts.get(out.name);
    if (sym) addReference(ctx, sym, ident);
    return out.type;
  }
  const input = flowInfo.inputs.find((i) => i.name === ident.name);
  if (input) {
    const sym = ctx.identSymbols.get(input.decl.name);
    if (sym) addReference(ctx, sym, ident);
    return input.type;
  }
  ctx.report('undeclared-subject', ident.span, `Step '${step.name}' ${what} '${ident.name}', which it neither reads with 'in' nor produces with 'out'.`, {
    data: { name: ident.name },
  });
  return undefined;
}

function checkSwitch(step: StepModel, next: NextSwitch, flowInfo: StepFlow, flow: FlowModel, ctx: CheckContext): Type | undefined {
  if (!next.subject?.name) return undefined;
  const type = subjectType(step, flowInfo, next.subject, flow, ctx, 'switches on');
  if (type && type.kind !== 'error' && type.kind !== 'string' && type.kind !== 'int' && type.kind !== 'bool') {
    ctx.report('invalid-switch-type', next.subject.span, `Step '${step.name}' switches on '${next.subject.name}' of type ${describeType(type)}; a switch needs a string, int or bool.`);
    return type;
  }
  const seen = new Map<string, { start: number; end: number }>();
  for (const c of next.cases ?? []) {
    if (!c.value) continue;
    const label = caseLabel(c.value);
    const first = seen.get(label);
    if (first) {
      ctx.report('duplicate-case', c.value.span, `Switch case ${label} of step '${step.name}' is already handled.`, { related: [{ ...first, message: 'The first case is here.' }] });
    } else seen.set(label, c.value.span);
    const valueKind = c.value.kind === 'String' ? 'string' : c.value.kind === 'Int' ? 'int' : 'bool';
    if (type && (type.kind === 'string' || type.kind === 'int' || type.kind === 'bool') && valueKind !== type.kind) {
      ctx.report('type-mismatch', c.value.span, `Switch case ${label} is a ${valueKind}, but '${next.subject.name}' is a ${type.kind}.`, {
        data: { expected: type.kind, actual: valueKind },
      });
    }
  }
  return type;
}

function checkForeach(step: StepModel, next: NextForeach, flowInfo: StepFlow, flow: FlowModel, ctx: CheckContext): Type | undefined {
  if (!next.list?.name) return undefined;
  const type = subjectType(step, flowInfo, next.list, flow, ctx, 'iterates over');
  const item = flow.symbols.items.get(step.name);
  if (type && type.kind !== 'error' && type.kind !== 'list') {
    ctx.report('foreach-not-list', next.list.span, `Step '${step.name}' iterates over '${next.list.name}' of type ${describeType(type)}; a foreach needs a list.`);
  }
  if (item) item.type = type?.kind === 'list' ? type.element : errorType;
  return type;
}

