/**
 * Lowering: a checked analysis to the IR of `ir.ts`, one document per flow.
 *
 * Only for an analysis without errors (throws otherwise: the caller must check `analysis.hasErrors`), so
 * everything here may assume a sound DAG and resolved inputs.
 * Invariant: deterministic. Steps in the DAG's topological order, edges in step order then source order,
 * object keys in the order of `ir.ts`, record types sorted by name; no time, machine or tool data.
 */
import type { StringLit } from '../grammar/ast.ts';
import type { Span } from '../diagnostics/types.ts';
import type { Analysis, FlowAnalysis, StepAnalysis } from './analyze.ts';
import { IR_VERSION, storageOf, typeSchema, type BodyIR, type EdgeIR, type FlowIR, type InputIR, type JsonSchema, type NextIR, type SourceRef, type StepIR, type TemplateIR, type TypeIR } from './ir.ts';
import { paramHelp } from './param-help.ts';
import { FAILURE_TYPE, failureFields, typeToIR, type Type } from './sem-types.ts';
import type { ParsedTemplate } from './templates.ts';

/** Lowers every flow of a checked file. Throws when the analysis has errors. */
export function lower(analysis: Analysis): FlowIR[] {
  if (analysis.hasErrors) throw new Error(`Cannot lower '${analysis.file}': it has errors.`);
  return analysis.flows.map((flow) => lowerFlow(analysis, flow));
}

const sourceRef = (analysis: Analysis, span: Span): SourceRef => ({ file: analysis.file, span: { start: span.start, end: span.end } });

function lowerFlow(analysis: Analysis, flow: FlowAnalysis): FlowIR {
  const image = flow.model.image?.value?.value ?? analysis.config?.image ?? null;
  const types: Record<string, JsonSchema> = {};
  const names = [...analysis.types.keys()];
  // `Failure`, the record of a @catch variable, when a step catches.
  if (flow.model.steps.some((s) => s.catchVar)) names.push(FAILURE_TYPE);
  for (const name of names.sort()) types[name] = recordSchema(analysis, name);
  const steps = flow.dag.order.map((s) => lowerStep(analysis, flow, flow.steps.get(s.name)!, image));
  const edges: EdgeIR[] = [];
  for (const s of flow.dag.order) {
    for (const e of s.edges) {
      const edge: EdgeIR = { from: e.from, to: e.to, kind: e.kind };
      if (e.label !== undefined) edge.label = e.label;
      edges.push(edge);
    }
  }
  // Results: outputs that no input reads (a pick or gather reads its producers' outputs too).
  const read = new Set<string>();
  for (const step of steps) {
    for (const input of step.inputs) {
      const from = input.from;
      if (from.kind === 'artifact' || from.kind === 'pick') for (const p of from.producers) read.add(`${p}\0${from.artifact}`);
      if (from.kind === 'gather') for (const b of from.branches) for (const p of b.producers) read.add(`${p}\0${from.artifact}`);
      if (from.kind === 'item') read.add(`${from.foreach}\0${from.list}`);
    }
    if (step.next.kind === 'foreach') read.add(`${step.name}\0${step.next.list}`);
    if (step.next.kind === 'switch') read.add(`${step.name}\0${step.next.on}`);
  }
  const results = steps.flatMap((s) => s.outputs.filter((o) => !read.has(`${s.name}\0${o.name}`)).map((o) => ({ step: s.name, name: o.name })));
  return {
    irVersion: IR_VERSION,
    name: flow.name,
    source: sourceRef(analysis, flow.decl.span),
    image,
    params: flow.model.params.map((p) => {
      const def = flow.paramDefaults.get(p.name);
      const help = p.implicit ? undefined : paramHelp(analysis.text, p.decl.span);
      return {
        name: p.name,
        type: typeToIR(p.type),
        required: p.decl.default === undefined,
        ...(p.decl.default !== undefined && def !== undefined ? { default: def } : {}),
        ...(help ? { description: help } : {}),
        source: sourceRef(analysis, p.decl.span),
      };
    }),
    types,
    steps,
    edges,
    ...flow.decorations.ir,
    results,
  };
}

function recordSchema(analysis: Analysis, name: string): JsonSchema {
  const fields = name === FAILURE_TYPE ? failureFields : new Map([...analysis.types.get(name)!.fields.values()].map((f) => [f.name, f.type]));
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const [field, type] of fields) {
    properties[field] = typeSchema(typeToIR(type));
    if (type.kind !== 'optional') required.push(field);
  }
  return { type: 'object', properties, required, additionalProperties: false };
}

function lowerStep(analysis: Analysis, flow: FlowAnalysis, step: StepAnalysis, flowImage: string | null): StepIR {
  const model = step.model;
  const dag = flow.dag;
  const inputs: InputIR[] = step.inputs.map((i) => ({
    name: i.name,
    type: typeToIR(i.type),
    storage: storageOf(typeToIR(i.type)),
    from: i.source!,
    source: sourceRef(analysis, i.decl.span),
  }));
  return {
    name: model.name,
    next: lowerNext(flow, step),
    joins: dag.joinOf.get(model.name) ?? null,
    image: model.image?.value?.value ?? flowImage,
    body: lowerBody(step, inputs, flow),
    inputs,
    outputs: model.outs.map((o) => ({ name: o.name, type: typeToIR(o.type), storage: storageOf(typeToIR(o.type)), source: sourceRef(analysis, o.decl.span) })),
    ...step.decorations.ir,
    targets: step.decorations.targets,
    foreachStack: step.context.filter((f) => f.kind === 'foreach').map((f) => f.fanout),
    ...loopOf(dag, model.name),
    source: sourceRef(analysis, model.decl.span),
  };
}

function loopOf(dag: FlowAnalysis['dag'], step: string): Pick<StepIR, 'loop'> {
  const loop = dag.loops.get(step);
  return loop?.max ? { loop: { max: loop.max, body: loop.body } } : {};
}

function lowerNext(flow: FlowAnalysis, step: StepAnalysis): NextIR {
  const model = step.model;
  const next = model.next;
  const edges = model.edges;
  if (!next || edges.length === 0) return { kind: 'end' };
  const join = flow.dag.joinFor.get(model.name) ?? 'end';
  if (next.kind === 'NextForeach') return { kind: 'foreach', to: edges[0].to, item: next.item.name, list: next.list.name, join };
  if (next.kind === 'NextSwitch') {
    const subject = flow.dataflow.steps.get(model.name)?.subjectType;
    const onType = subject?.kind === 'int' || subject?.kind === 'bool' ? subject.kind : 'string';
    return {
      kind: 'switch',
      on: next.subject.name,
      onType,
      cases: (next.cases ?? []).filter((c) => c.value && c.target?.name).map((c) => ({ value: c.value!.value, to: c.target.name })),
      default: next.otherwise?.name || null,
      merge: flow.dag.mergeFor.get(model.name) ?? 'end',
    };
  }
  if (edges.length > 1) return { kind: 'split', to: edges.map((e) => e.to), join };
  return { kind: 'linear', to: edges[0].to };
}

function lowerBody(step: StepAnalysis, inputs: InputIR[], flow: FlowAnalysis): BodyIR {
  const body = step.model.body;
  if (!body) return { kind: 'none' };
  if (body.kind === 'Script') return { kind: 'script', language: body.language, source: body.source?.value ?? '' };
  const template = (lit: StringLit): TemplateIR => lowerTemplate(step.templates.get(lit), lit, step, inputs, flow);
  if (body.kind === 'RunShell') return { kind: 'shell', command: body.command ? template(body.command) : { text: '', parts: [] } };
  return { kind: 'argv', args: (body.args ?? []).map(template) };
}

function lowerTemplate(parsed: ParsedTemplate | undefined, lit: StringLit, step: StepAnalysis, inputs: InputIR[], flow: FlowAnalysis): TemplateIR {
  const text = lit.value ?? '';
  if (!parsed) return { text, parts: text ? [{ kind: 'text', text }] : [] };
  return {
    text,
    parts: parsed.parts.map((p) => {
      if (p.kind === 'text') return { kind: 'text', text: p.text };
      let type: Type | TypeIR | undefined;
      if (p.scope === 'in') type = inputs.find((i) => i.name === p.name)?.type;
      else if (p.scope === 'out') type = step.outputs.find((o) => o.name === p.name)?.type;
      else type = flow.symbols.params.get(p.name)?.type;
      const ir = type && 'kind' in type && type.kind !== 'error' ? (isTypeIR(type) ? type : typeToIR(type as Type)) : ({ kind: 'json' } as TypeIR);
      return { kind: 'ref', scope: p.scope, name: p.name, storage: storageOf(ir) };
    }),
  };
}

function isTypeIR(t: Type | TypeIR): t is TypeIR {
  return t.kind !== 'error';
}

