/**
 * The semantic front end: `analyze(text, options)` parses a file and runs every check, returning all
 * diagnostics and the side tables editor features need.
 *
 * Phases (each a pure function in its own file): parse (grammar/) → resolve (names, types, `next` targets) →
 * dag (start/end, reachability, cycles, joins) → dataflow (what each `in` reads) → templates → decorators →
 * parameters, images, then each target's own check (names and limits; `target-check.ts`).
 * Invariant: analysis never throws on a tree the recovering parser produced, and an unresolved name is
 * reported once (its type becomes the error type, which raises nothing further).
 * Invariant: no IO; `options.config` is the already loaded `flowc.yaml`.
 */
import type { FileNode, FlowDecl, Ident, StringLit } from '../grammar/ast.ts';
import { parse } from '../grammar/parse.ts';
import { compareDiagnostics } from '../diagnostics/render.ts';
import type { Diagnostic, Span } from '../diagnostics/types.ts';
import type { FlowcConfig } from './config-types.ts';
import type { JsonValue } from './ir.ts';
import type { CheckContext } from './context.ts';
import { analyzeDag, type Dag, type Frame } from './dag.ts';
import { analyzeDataflow, type Dataflow, type ResolvedInput } from './dataflow.ts';
import { createReporter } from '../diagnostics/report.ts';
import { resolveFile, type FlowModel, type OutModel, type StepModel } from './resolve.ts';
import type { RecordTable, Type } from './sem-types.ts';
import type { FlowSymbols, Reference, Symbol, TypeSymbol } from './symbols.ts';
import { checkStepTemplates, type ParsedTemplate } from './templates.ts';
import { checkFlowDecorators, checkStepDecorators, type FlowDecorations, type StepDecorations } from './checks/decorators.ts';
import { checkParamDefaults, checkUnusedParams } from './checks/params.ts';
import { checkImages } from './checks/image.ts';
import { checkStepShape } from './checks/step-shape.ts';
import { checkParallel } from './checks/parallel.ts';
import type { TargetCheck, TargetCheckFlow, TargetCheckStep } from './target-check.ts';

export interface AnalyzeOptions {
  /** The file name as the caller shows it (relative, `/` separators); goes into the IR's source references. */
  file: string;
  /** The loaded `flowc.yaml`, when there is one (enables the image default and the targets' limits). */
  config?: FlowcConfig;
  /** The targets' checks to run on every flow (the CLI and the server pass `targetChecks` of `targets/registry.ts`). */
  targets?: readonly TargetCheck[];
}

/** What can be read at a step: an artifact, a foreach element or a parameter. */
export interface VisibleName {
  name: string;
  kind: 'artifact' | 'item' | 'param';
  type: Type;
  /** The steps that produce it on the paths to this step (sorted); for an item the foreach step; empty for a parameter. */
  producers: string[];
  symbol: Symbol | undefined;
}

export interface StepAnalysis {
  name: string;
  model: StepModel;
  /** Resolved inputs (absent before dataflow, e.g. on an unreachable step or a cyclic flow). */
  inputs: ResolvedInput[];
  outputs: OutModel[];
  decorations: StepDecorations;
  /** Parsed `run` templates by string literal. */
  templates: Map<StringLit, ParsedTemplate>;
  /** The fan-outs the step runs inside, outermost first (empty when unknown). */
  context: Frame[];
}

export interface FlowAnalysis {
  name: string;
  decl: FlowDecl;
  model: FlowModel;
  symbols: FlowSymbols;
  dag: Dag;
  dataflow: Dataflow;
  steps: Map<string, StepAnalysis>;
  decorations: FlowDecorations;
  paramDefaults: Map<string, JsonValue>;
}

export interface Analysis {
  file: string;
  text: string;
  ast: FileNode;
  config: FlowcConfig | undefined;
  /** Syntax and semantic diagnostics, sorted with `compareDiagnostics`. */
  diagnostics: Diagnostic[];
  /** True when some diagnostic is an error (then `lower` refuses). */
  hasErrors: boolean;
  /** Record types of the file by name. */
  types: Map<string, TypeSymbol>;
  records: RecordTable;
  flows: FlowAnalysis[];
  /** Every name occurrence with its symbol, sorted by position. */
  references: Reference[];
  /** The symbol each resolved `Ident` refers to (declaring names included). */
  identSymbols: Map<Ident, Symbol>;
}

/** Parses and checks one `.flow` file. Never throws. */
export function analyze(text: string, options: AnalyzeOptions): Analysis {
  const parsed = parse(text);
  return analyzeAst(parsed.file, text, parsed.diagnostics, options);
}

/** Checks an already parsed file (`parseDiagnostics` are included in the result). */
export function analyzeAst(ast: FileNode, text: string, parseDiagnostics: readonly Diagnostic[], options: AnalyzeOptions): Analysis {
  const diagnostics: Diagnostic[] = [...parseDiagnostics];
  const ctx: CheckContext = {
    report: createReporter(diagnostics),
    references: [],
    identSymbols: new Map(),
    types: new Map(),
    records: new Map(),
  };
  const models = resolveFile(ast, ctx);
  // A file without a flow builds nothing; said once, unless a syntax error already explains it.
  if (ast.flows.length === 0 && !parseDiagnostics.some((d) => d.severity === 'error')) {
    ctx.report('no-flow', { start: 0, end: 0 }, 'This file declares no flow: a .flow file needs at least one `flow Name { ... }`.');
  }
  const flows = models.map((model) => analyzeFlow(model, options, ctx));
  diagnostics.sort(compareDiagnostics);
  ctx.references.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
  return {
    file: options.file,
    text,
    ast,
    config: options.config,
    diagnostics,
    hasErrors: diagnostics.some((d) => d.severity === 'error'),
    types: ctx.types,
    records: ctx.records,
    flows,
    references: ctx.references,
    identSymbols: ctx.identSymbols,
  };
}

function analyzeFlow(model: FlowModel, options: AnalyzeOptions, ctx: CheckContext): FlowAnalysis {
  for (const step of model.steps) checkStepShape(step, ctx);
  const dag = analyzeDag(model, ctx);
  const dataflow = analyzeDataflow(model, dag, ctx);
  const decorations = checkFlowDecorators(model.decl.decorators, model.name, ctx);
  const paramDefaults = checkParamDefaults(model, ctx);
  const steps = new Map<string, StepAnalysis>();
  for (const step of model.steps) {
    const flowInfo = dataflow.steps.get(step.name);
    const templates = checkStepTemplates(step, model, flowInfo?.inputs, dataflow.usedParams, ctx);
    const stepDecorations = checkStepDecorators(step.decl.decorators, step.name, ctx);
    if (stepDecorations.ir.maxWorkers !== undefined && step.next?.kind !== 'NextForeach') {
      const at = step.decl.decorators.find((d) => d.name?.name === 'max_workers')!;
      ctx.report('misplaced-decorator', at.name.span, `'@max_workers' on a step bounds its foreach, and step '${step.name}' has none; put it on the flow to bound the whole run, or on the step with 'foreach'.`);
      delete stepDecorations.ir.maxWorkers;
    }
    checkParallel(step, stepDecorations, ctx);
    steps.set(step.name, {
      name: step.name,
      model: step,
      inputs: flowInfo?.inputs ?? [],
      outputs: step.outs,
      decorations: stepDecorations,
      templates,
      context: dag.contexts.get(step.name) ?? [],
    });
  }
  // Without a sound DAG, reads were not resolved, so "unused" would be noise.
  if (dag.sound) checkUnusedParams(model, dataflow.usedParams, ctx);
  checkImages(model, options.config?.image, ctx);
  if (options.targets?.length) {
    const scheduled = decorations.ir.schedule !== null || model.decl.decorators?.some((d) => d.name?.name === 'schedule') === true;
    const target = targetCheckFlow(model, scheduled, decorations.ir.project, steps, dag.loops);
    for (const t of options.targets) t.check(target, options.config ?? {}, ctx.report);
  }
  return { name: model.name, decl: model.decl, model, symbols: model.symbols, dag, dataflow, steps, decorations, paramDefaults };
}

/** Where the `@resources` arguments were written, by IR field. */
const resourceSpans = (args: Record<string, Span> = {}): TargetCheckStep['resourceSpans'] => ({ cpu: args.cpu, memoryMiB: args.memory, gpu: args.gpu, diskMiB: args.disk, sharedMemoryMiB: args.shared_memory });

/** The flow as the targets' checks see it. */
function targetCheckFlow(model: FlowModel, scheduled: boolean, project: string | null, steps: Map<string, StepAnalysis>, loops: Dag['loops']): TargetCheckFlow {
  return {
    name: model.name,
    project,
    span: model.decl.name?.span ?? model.decl.span,
    scheduled,
    steps: model.steps.map((s) => ({
      name: s.name,
      span: s.decl.name.span,
      foreach: s.next?.kind === 'NextForeach',
      ...(steps.get(s.name)!.decorations.ir.maxWorkers !== undefined ? { maxWorkers: steps.get(s.name)!.decorations.ir.maxWorkers } : {}),
      loop: loops.has(s.name),
      resources: steps.get(s.name)!.decorations.ir.resources,
      resourceSpans: resourceSpans(steps.get(s.name)!.decorations.argSpans.resources),
    })),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Queries for editor features.

/** The reference whose span contains `offset` (the innermost when nested), or undefined. */
export function referenceAt(analysis: Analysis, offset: number): Reference | undefined {
  let found: Reference | undefined;
  for (const ref of analysis.references) {
    if (ref.span.start > offset) break;
    if (offset <= ref.span.end && (!found || ref.span.end - ref.span.start <= found.span.end - found.span.start)) found = ref;
  }
  return found;
}

/** Every occurrence of a symbol (declarations included), in source order. */
export function referencesTo(analysis: Analysis, symbol: Symbol): Reference[] {
  return analysis.references.filter((r) => r.symbol === symbol);
}

/** The flow whose span contains `offset`. */
export function flowAt(analysis: Analysis, offset: number): FlowAnalysis | undefined {
  return analysis.flows.find((f) => f.decl.span.start <= offset && offset <= f.decl.span.end);
}

/**
 * What a step can read with `in`: visible artifacts and foreach elements (with the steps producing them on the
 * paths to it), then parameters not shadowed by an artifact. Sorted by name. At a join, branch results are not
 * listed (they need a gather or a pick); use `FlowAnalysis.dag.joinOf` to tell.
 */
export function visibleAt(flow: FlowAnalysis, step: string): VisibleName[] {
  const info = flow.dataflow.steps.get(step);
  const out: VisibleName[] = [];
  const seen = new Set<string>();
  if (info) {
    for (const b of info.envIn.flatten().values()) {
      seen.add(b.name);
      const symbol = b.kind === 'item' ? flow.symbols.items.get(b.foreach ?? '') : flow.symbols.artifacts.get(b.name);
      out.push({ name: b.name, kind: b.kind, type: b.type, producers: b.producers, symbol });
    }
  }
  for (const p of flow.symbols.params.values()) {
    if (!seen.has(p.name)) out.push({ name: p.name, kind: 'param', type: p.type, producers: [], symbol: p });
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
