/**
 * Phase 1, resolve: builds the symbol tables of a file (records, flows, steps, params, artifacts, foreach
 * elements), resolves type expressions and `next` targets, and records every reference.
 *
 * Codes: duplicate-flow, duplicate-type, duplicate-field, duplicate-step, duplicate-param, duplicate-artifact,
 * unknown-type, unknown-step (the step-shape codes of `checks/step-shape.ts` are checked by analysis after resolving).
 * Invariant: the first declaration of a name wins; later duplicates are reported and otherwise ignored.
 */
import type { FileNode, FlowDecl, Ident, ImageDecl, InDecl, NextClause, OutDecl, ParamDecl, PassDecl, StepDecl, TypeExpr, Body } from '../grammar/ast.ts';
import { isBody, isNext } from '../grammar/ast.ts';
import { addReference, type CheckContext } from './context.ts';
import { didYouMean, suggest } from '../diagnostics/suggest.ts';
import { BUILTIN_TYPES, catchVarType, errorType, FAILURE_TYPE, failureFields, isBuiltinType, type Type } from './sem-types.ts';
import type { ArtifactSymbol, FieldSymbol, FlowSymbols, ItemSymbol, ParamSymbol, StepSymbol, TypeSymbol } from './symbols.ts';

export interface InModel {
  decl: InDecl;
  name: string;
  /** The declared type, or undefined when omitted (inferred from the producers). */
  declared: Type | undefined;
}
export interface OutModel {
  decl: OutDecl;
  name: string;
  type: Type;
}
export type EdgeKind = 'linear' | 'split' | 'foreach' | 'switch';
export interface EdgeModel {
  from: string;
  to: string;
  kind: EdgeKind;
  /** The `Ident` naming the target. */
  ident: Ident;
  /** For a switch edge: the case value as written, or `else`. */
  label?: string;
}
export interface StepModel {
  name: string;
  decl: StepDecl;
  /** Position among the flow's (unique) steps in source order; ties in the topological order break on it. */
  index: number;
  ins: InModel[];
  outs: OutModel[];
  /** The first body, next clause and image (later ones are reported by the step-shape check). */
  body: Body | undefined;
  next: NextClause | undefined;
  image: ImageDecl | undefined;
  /** Outgoing edges to existing steps, in source order, one per distinct target. */
  edges: EdgeModel[];
  /** True when some `next` target did not resolve (reachability is then unknown past this step). */
  unresolvedNext: boolean;
  /**
   * With `@catch(var: NAME)`: the catch variable, an artifact of type `Failure?` the step produces besides its
   * `out`s (its declaration is the decorator's argument). A failed task of this step produces only it.
   */
  catchVar: OutModel | undefined;
  /** `pass` declarations (a join passing on branch artifacts), in source order. */
  passes: PassDecl[];
}
export interface FlowModel {
  decl: FlowDecl;
  name: string;
  symbols: FlowSymbols;
  steps: StepModel[];
  stepByName: Map<string, StepModel>;
  params: { name: string; decl: ParamDecl; type: Type; implicit?: boolean }[];
  image: ImageDecl | undefined;
}

/** The parameter through which a run started by `@trigger_on_finish` gets the upstream run's id. */
export const UPSTREAM_RUN_PARAM = 'upstream_run';

export function resolveFile(ast: FileNode, ctx: CheckContext): FlowModel[] {
  resolveRecords(ast, ctx);
  const flows: FlowModel[] = [];
  const seen = new Map<string, FlowDecl>();
  for (const flow of ast.flows ?? []) {
    const name = flow.name?.name ?? '';
    if (name) {
      const first = seen.get(name);
      if (first) {
        ctx.report('duplicate-flow', flow.name.span, `Flow '${name}' is already declared.`, {
          related: [{ ...first.name.span, message: `'${name}' is first declared here.` }],
        });
        continue;
      }
      seen.set(name, flow);
    }
    flows.push(resolveFlow(flow, ctx));
  }
  return flows;
}

function resolveRecords(ast: FileNode, ctx: CheckContext): void {
  const records = ctx.records as Map<string, Map<string, Type>>;
  records.set(FAILURE_TYPE, failureFields as Map<string, Type>);
  for (const decl of ast.types ?? []) {
    const name = decl.name?.name;
    if (!name) continue;
    const first = ctx.types.get(name);
    if (first || isBuiltinType(name) || name === FAILURE_TYPE) {
      ctx.report('duplicate-type', decl.name.span, first ? `Type '${name}' is already declared.` : `Type '${name}' is a built-in type.`, {
        related: first ? [{ ...first.nameSpan, message: `'${name}' is first declared here.` }] : undefined,
      });
      continue;
    }
    const sym: TypeSymbol = { kind: 'type', name, nameSpan: decl.name.span, decl, fields: new Map() };
    ctx.types.set(name, sym);
    addReference(ctx, sym, decl.name, true);
  }
  for (const sym of ctx.types.values()) {
    const fieldTypes = new Map<string, Type>();
    for (const field of sym.decl.fields ?? []) {
      const fname = field.name?.name;
      const type = resolveType(field.type, ctx);
      if (!fname) continue;
      const first = sym.fields.get(fname);
      if (first) {
        ctx.report('duplicate-field', field.name.span, `Record '${sym.name}' already has a field '${fname}'.`, {
          related: [{ ...first.nameSpan, message: `'${fname}' is first declared here.` }],
        });
        continue;
      }
      const fsym: FieldSymbol = { kind: 'field', name: fname, nameSpan: field.name.span, decl: field, record: sym.name, type };
      sym.fields.set(fname, fsym);
      fieldTypes.set(fname, type);
      addReference(ctx, fsym, field.name, true);
    }
    records.set(sym.name, fieldTypes);
  }
}

/** Resolves a type expression; a missing or unknown part becomes the error type (reported once). */
function resolveType(expr: TypeExpr | undefined, ctx: CheckContext): Type {
  if (!expr) return errorType;
  switch (expr.kind) {
    case 'ListType':
      return { kind: 'list', element: resolveType(expr.element, ctx) };
    case 'MapType':
      return { kind: 'map', value: resolveType(expr.value, ctx) };
    case 'OptionalType':
      return { kind: 'optional', inner: resolveType(expr.inner, ctx) };
    case 'NamedType': {
      const name = expr.name?.name;
      if (!name) return errorType;
      if (isBuiltinType(name)) return { kind: name };
      if (name === FAILURE_TYPE) return { kind: 'record', name };
      const sym = ctx.types.get(name);
      if (sym) {
        addReference(ctx, sym, expr.name);
        return { kind: 'record', name };
      }
      const suggestion = suggest(name, [...BUILTIN_TYPES, FAILURE_TYPE, ...ctx.types.keys()]);
      ctx.report('unknown-type', expr.name.span, `Unknown type '${name}'.${didYouMean(suggestion)}`, {
        data: suggestion ? { suggestion } : undefined,
      });
      return errorType;
    }
    default:
      return errorType;
  }
}

function resolveFlow(flow: FlowDecl, ctx: CheckContext): FlowModel {
  const name = flow.name?.name ?? '';
  const symbols: FlowSymbols = {
    flow: { kind: 'flow', name, nameSpan: flow.name?.span ?? flow.span, decl: flow },
    steps: new Map(),
    params: new Map(),
    artifacts: new Map(),
    items: new Map(),
  };
  if (flow.name) addReference(ctx, symbols.flow, flow.name, true);
  const model: FlowModel = { decl: flow, name, symbols, steps: [], stepByName: new Map(), params: [], image: undefined };

  // Declarations first, so `next` can refer forward.
  let flowImage: ImageDecl | undefined;
  for (const member of flow.members ?? []) {
    if (member.kind === 'Image') {
      if (flowImage) {
        ctx.report('duplicate-image', member.span, `Flow '${name}' already sets an image.`, {
          related: [{ ...flowImage.span, message: 'The first image is set here.' }],
        });
      } else flowImage = member;
    } else if (member.kind === 'Param') {
      const pname = member.name?.name;
      const type = resolveType(member.type, ctx);
      if (!pname) continue;
      const first = symbols.params.get(pname);
      if (first) {
        ctx.report('duplicate-param', member.name.span, `Parameter '${pname}' is already declared.`, {
          related: [{ ...first.nameSpan, message: `'${pname}' is first declared here.` }],
        });
        continue;
      }
      const sym: ParamSymbol = { kind: 'param', name: pname, nameSpan: member.name.span, flow: name, decl: member, type };
      symbols.params.set(pname, sym);
      model.params.push({ name: pname, decl: member, type });
      addReference(ctx, sym, member.name, true);
    } else if (member.kind === 'Step') {
      const sname = member.name?.name;
      if (!sname) continue;
      const first = symbols.steps.get(sname);
      if (first) {
        ctx.report('duplicate-step', member.name.span, `Step '${sname}' is already declared.`, {
          related: [{ ...first.nameSpan, message: `'${sname}' is first declared here.` }],
        });
        continue;
      }
      const sym: StepSymbol = { kind: 'step', name: sname, nameSpan: member.name.span, flow: name, decl: member };
      symbols.steps.set(sname, sym);
      addReference(ctx, sym, member.name, true);
      const step: StepModel = { name: sname, decl: member, index: model.steps.length, ins: [], outs: [], body: undefined, next: undefined, image: undefined, edges: [], unresolvedNext: false, catchVar: undefined, passes: [] };
      model.steps.push(step);
      model.stepByName.set(sname, step);
    }
  }
  model.image = flowImage;
  addUpstreamRunParam(model);

  for (const step of model.steps) resolveStep(step, model, ctx);
  return model;
}

/**
 * `@trigger_on_finish` gives the flow a parameter `upstream_run: string = ""` (the run id of the upstream run that
 * started it, empty otherwise), unless the flow declares one itself. It is implicit: no warning when unread.
 */
function addUpstreamRunParam(model: FlowModel): void {
  const deco = model.decl.decorators?.find((d) => d.name?.name === 'trigger_on_finish');
  if (!deco || model.symbols.params.has(UPSTREAM_RUN_PARAM)) return;
  const span = deco.name.span;
  const name: Ident = { kind: 'Ident', name: UPSTREAM_RUN_PARAM, span };
  const decl: ParamDecl = {
    kind: 'Param',
    name,
    type: { kind: 'NamedType', name: { kind: 'Ident', name: 'string', span }, span },
    default: { kind: 'String', value: '', triple: false, offsets: [span.start], span },
    span,
  };
  const type: Type = { kind: 'string' };
  model.symbols.params.set(UPSTREAM_RUN_PARAM, { kind: 'param', name: UPSTREAM_RUN_PARAM, nameSpan: span, flow: model.name, decl, type });
  model.params.push({ name: UPSTREAM_RUN_PARAM, decl, type, implicit: true });
}

function resolveStep(step: StepModel, flow: FlowModel, ctx: CheckContext): void {
  const { symbols } = flow;
  const seenIn = new Map<string, InDecl>();
  const seenOut = new Map<string, OutDecl>();
  for (const member of step.decl.members ?? []) {
    if (member.kind === 'In') {
      const name = member.name?.name;
      const declared = member.type ? resolveType(member.type, ctx) : undefined;
      if (!name) continue;
      const first = seenIn.get(name);
      if (first) {
        ctx.report('duplicate-artifact', member.name.span, `Step '${step.name}' already reads '${name}'.`, {
          related: [{ ...first.name.span, message: `'${name}' is first read here.` }],
        });
        continue;
      }
      seenIn.set(name, member);
      step.ins.push({ decl: member, name, declared });
    } else if (member.kind === 'Out') {
      const name = member.name?.name;
      const type = resolveType(member.type, ctx);
      if (!name) continue;
      const first = seenOut.get(name);
      if (first) {
        ctx.report('duplicate-artifact', member.name.span, `Step '${step.name}' already produces '${name}'.`, {
          related: [{ ...first.name.span, message: `'${name}' is first produced here.` }],
        });
        continue;
      }
      seenOut.set(name, member);
      step.outs.push({ decl: member, name, type });
      let sym: ArtifactSymbol | undefined = symbols.artifacts.get(name);
      if (!sym) {
        sym = { kind: 'artifact', name, nameSpan: member.name.span, flow: flow.name, decls: [] };
        symbols.artifacts.set(name, sym);
      }
      sym.decls.push({ step: step.name, decl: member, type });
      addReference(ctx, sym, member.name, true);
    } else if (isBody(member)) {
      step.body ??= member;
    } else if (isNext(member)) {
      step.next ??= member;
    } else if (member.kind === 'Image') {
      step.image ??= member;
    } else if (member.kind === 'Pass') {
      step.passes.push(member);
    }
  }
  resolveCatchVar(step, flow, seenOut, ctx);
  resolveEdges(step, flow, ctx);
}

/**
 * The variable of `@catch(var: NAME)` (default `error`), declared where the decorator names it. The decorator's
 * arguments are checked with the other decorators; here only a usable name is taken.
 */
function resolveCatchVar(step: StepModel, flow: FlowModel, seenOut: Map<string, OutDecl>, ctx: CheckContext): void {
  const deco = step.decl.decorators?.find((d) => d.name?.name === 'catch');
  if (!deco) return;
  const arg = deco.args?.find((a) => a.name?.name === 'var') ?? deco.args?.find((a) => !a.name);
  const value = arg?.value;
  const ident: Ident | undefined =
    value?.kind === 'Name'
      ? value.name
      : value?.kind === 'String' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(value.value)
        ? { kind: 'Ident', name: value.value, span: value.span }
        : arg
          ? undefined
          : { kind: 'Ident', name: 'error', span: deco.name.span };
  if (!ident?.name) return;
  const first = seenOut.get(ident.name);
  if (first) {
    ctx.report('duplicate-artifact', ident.span, `Step '${step.name}' already produces '${ident.name}'; the @catch variable needs a name of its own.`, {
      related: [{ ...first.name.span, message: `'${ident.name}' is produced here.` }],
    });
    return;
  }
  const decl: OutDecl = { kind: 'Out', name: ident, type: undefined, span: deco.span };
  step.catchVar = { decl, name: ident.name, type: catchVarType };
  let sym: ArtifactSymbol | undefined = flow.symbols.artifacts.get(ident.name);
  if (!sym) {
    sym = { kind: 'artifact', name: ident.name, nameSpan: ident.span, flow: flow.name, decls: [] };
    flow.symbols.artifacts.set(ident.name, sym);
  }
  // A bare name is a declaration like an `out`'s (renamed with it); a string or the default name is one too, for
  // references, but rename refuses it (`fixedName`).
  sym.decls.push({ step: step.name, decl, type: catchVarType, ...(value?.kind === 'Name' ? {} : { fixedName: true as const }) });
  addReference(ctx, sym, ident, true);
}

function resolveTarget(ident: Ident | undefined, flow: FlowModel, ctx: CheckContext): string | undefined {
  const name = ident?.name;
  if (!ident || !name) return undefined;
  const sym = flow.symbols.steps.get(name);
  if (sym) {
    addReference(ctx, sym, ident);
    return name;
  }
  const suggestion = suggest(name, flow.symbols.steps.keys());
  ctx.report('unknown-step', ident.span, `Flow '${flow.name}' has no step '${name}'.${didYouMean(suggestion)}`, {
    data: suggestion ? { suggestion } : undefined,
  });
  return undefined;
}

function resolveEdges(step: StepModel, flow: FlowModel, ctx: CheckContext): void {
  const next = step.next;
  // `end` with a `next` is reported by the step-shape check; its targets are ignored.
  if (!next || step.name === 'end') return;
  const targets = new Set<string>();
  const add = (ident: Ident | undefined, kind: EdgeKind, label?: string) => {
    const to = resolveTarget(ident, flow, ctx);
    if (ident?.name && !to) step.unresolvedNext = true;
    if (!to || !ident) return;
    if (targets.has(to)) {
      if (kind === 'split') ctx.report('duplicate-next', ident.span, `Step '${step.name}' already goes to '${to}'.`);
      return;
    }
    targets.add(to);
    step.edges.push({ from: step.name, to, kind, ident, label });
  };
  if (next.kind === 'NextSteps') {
    const list = next.targets ?? [];
    for (const t of list) add(t, list.length > 1 ? 'split' : 'linear');
  } else if (next.kind === 'NextForeach') {
    add(next.target, 'foreach');
    const itemName = next.item?.name;
    if (itemName) {
      const sym: ItemSymbol = { kind: 'item', name: itemName, nameSpan: next.item.span, flow: flow.name, decl: next, foreach: step.name, type: errorType };
      flow.symbols.items.set(step.name, sym);
      addReference(ctx, sym, next.item, true);
    }
  } else if (next.kind === 'NextSwitch') {
    for (const c of next.cases ?? []) add(c.target, 'switch', c.value ? caseLabel(c.value) : undefined);
    if (next.otherwise) add(next.otherwise, 'switch', 'else');
  }
}

export function caseLabel(v: { kind: 'String' | 'Int' | 'Bool'; value: string | number | bigint | boolean }): string {
  return v.kind === 'String' ? JSON.stringify(v.value) : String(v.value);
}
