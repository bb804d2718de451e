/**
 * Completion: what may be written at the cursor.
 * - Keywords valid there (top level, flow body, step body, `next` clauses), with snippets for blocks.
 * - Step names after `next`, `,` in a split, `->` in a switch, `from`; `foreach` / `switch` in a `next`.
 * - After `in`: the names that reach this step (artifacts, foreach elements, parameters) with their types; at a
 *   join, branch results as gathers (`x: [T]`).
 * - Types after `:` in `in`/`out`/`param`/fields (built-in and records).
 * - Decorators after `@` (those allowed on a flow or a step), their argument names with types and defaults,
 *   and values: size and duration units after a number, schedule presets.
 * - Inside `{{ }}` in `run` strings: `in.` / `out.` / `param.` and then the names.
 */
import { describeType } from '../ir.ts';
import { visibleAt, type FlowAnalysis, type StepAnalysis } from '../analyze.ts';
import { appliesTo, decoratorCatalog, defaultText, SCHEDULE_PRESETS, type ArgSpec } from '../decorators.ts';
import { BUILTIN_TYPES, type Type } from '../sem-types.ts';
import { durationUnits, sizeUnits } from '../../grammar/units.ts';
import { completionContext, lexStart, type CompletionContext } from './completion-context.ts';
import type { IdeDocument } from './document.ts';
import { describeDecorator } from './get-hover.ts';
import type { CompletionItem } from './types.ts';

const stepKeywords: CompletionItem[] = [
  { label: 'in', kind: 'keyword', detail: 'read an artifact or parameter', insertText: 'in ' },
  { label: 'out', kind: 'keyword', detail: 'declare an output', insertText: 'out ${1:name}: ${2:type}', snippet: true },
  { label: 'run', kind: 'keyword', detail: 'run a command', insertText: 'run "$1"', snippet: true },
  { label: 'python', kind: 'keyword', detail: 'inline Python script', insertText: 'python """\n  $0\n"""', snippet: true },
  { label: 'sh', kind: 'keyword', detail: 'inline shell script', insertText: 'sh """\n  $0\n"""', snippet: true },
  { label: 'next', kind: 'keyword', detail: 'the following step(s)', insertText: 'next ' },
  { label: 'image', kind: 'keyword', detail: 'container image of this step', insertText: 'image "$1"', snippet: true },
];
const flowKeywords: CompletionItem[] = [
  { label: 'step', kind: 'keyword', detail: 'declare a step', insertText: 'step ${1:name} {\n  $0\n}', snippet: true },
  { label: 'param', kind: 'keyword', detail: 'declare a parameter', insertText: 'param ${1:name}: ${2:type}', snippet: true },
  { label: 'image', kind: 'keyword', detail: 'default container image', insertText: 'image "$1"', snippet: true },
];
const topKeywords: CompletionItem[] = [
  { label: 'flow', kind: 'keyword', detail: 'declare a flow', insertText: 'flow ${1:Name} {\n  step start {\n    next end\n  }\n\n  step end {}\n}', snippet: true },
  { label: 'type', kind: 'keyword', detail: 'declare a record type', insertText: 'type ${1:Name} {\n  $0\n}', snippet: true },
];

export function getCompletions(doc: IdeDocument, offset: number): CompletionItem[] {
  const ctx = completionContext(doc.text, offset, lexStart(doc.parsed.file, doc.text, offset));
  if (ctx.inComment) return [];
  const items = ctx.inString ? templateCompletions(doc, ctx, offset) : codeCompletions(doc, ctx);
  return items.map((it) => ({ ...it, replace: it.replace ?? ctx.replace }));
}

function codeCompletions(doc: IdeDocument, ctx: CompletionContext): CompletionItem[] {
  const analysis = doc.analysis;
  const flow = analysis.flows.find((f) => f.name === ctx.flow);
  const step = ctx.step ? flow?.steps.get(ctx.step) : undefined;
  const inner = ctx.blocks[ctx.blocks.length - 1];
  const stmt = ctx.statement;
  const first = stmt[0];
  const prev = ctx.previous;

  if (prev === '@') return decoratorNames(ctx.step || inner?.kind === 'flow' ? 'step' : 'flow');
  if (inner?.kind === 'decorator') return decoratorArgs(inner.name, ctx);
  if (inner?.kind === 'switch') {
    if (prev === '->') return stepNames(flow, ctx.step);
    if (prev === '{' || prev === ',') return [{ label: 'else', kind: 'keyword', insertText: 'else -> ' }];
    return [];
  }
  if (inner?.kind === 'brace' && ctx.line[0] === 'param' && ctx.line[2] === ':' && (prev === '{' || prev === ',')) return recordFields(doc, ctx.line[3], ctx.line);
  if (inner?.kind === 'brace' || inner?.kind === 'paren' || inner?.kind === 'bracket') {
    // Type positions: `[T]`, `{T}` after `in x:` / `out x:` / `param x:`.
    if ((first === 'in' || first === 'out' || first === 'param') && stmt.includes(':')) return typeNames(doc);
    return [];
  }
  if (inner?.kind === 'type') return prev === ':' ? typeNames(doc) : [];

  if (inner?.kind === 'step') {
    if (first === 'in') {
      if (stmt.length === 1) return inputNames(flow, step);
      if (prev === ':') return typeNames(doc);
      if (prev === 'from') return stepNames(flow, ctx.step, predsOf(flow, ctx.step));
      const atJoin = ctx.step !== undefined && (flow?.dag.preds.get(ctx.step)?.length ?? 0) > 1;
      if (atJoin && stmt.length >= 3 && prev !== ':') return [{ label: 'from', kind: 'keyword', detail: 'pick the value of one branch at a join', insertText: 'from ' }];
      return [];
    }
    if (first === 'out') return prev === ':' ? typeNames(doc) : [];
    if (first === 'next') return nextCompletions(flow, step, ctx);
    if (stmt.length === 0) return stepKeywords;
    return [];
  }
  if (inner?.kind === 'flow') {
    if (first === 'param') return prev === ':' ? typeNames(doc) : [];
    if (stmt.length === 0 || (stmt.length === 1 && stmt[0] === '@')) return flowKeywords;
    return [];
  }
  if (inner === undefined && stmt.length === 0) return topKeywords;
  return [];
}

function nextCompletions(flow: FlowAnalysis | undefined, step: StepAnalysis | undefined, ctx: CompletionContext): CompletionItem[] {
  const stmt = ctx.statement;
  const prev = ctx.previous;
  if (prev === 'next') return [...stepNames(flow, ctx.step), { label: 'switch', kind: 'keyword', detail: 'branch on a value: exactly one target runs', insertText: 'switch ${1:subject} {\n  "${2:value}" -> ${3:step},\n  else -> ${4:step}\n}', snippet: true }];
  if (prev === ',') return stepNames(flow, ctx.step);
  if (prev === 'switch') return subjectNames(step, () => true);
  if (prev === 'in' && stmt.includes('foreach')) return subjectNames(step, (t) => t.kind === 'list');
  if (stmt.length === 2 && prev !== 'foreach' && prev !== 'switch') return [{ label: 'foreach', kind: 'keyword', detail: 'fan out: one task per element', insertText: 'foreach ${1:item} in ${2:list}', snippet: true }];
  return [];
}

/** Step names for `next`, `->` and `from`: not the current step, not `start`; preferred first. */
function stepNames(flow: FlowAnalysis | undefined, current: string | undefined, preferred?: string[]): CompletionItem[] {
  if (!flow) return [];
  const items: CompletionItem[] = [];
  for (const s of flow.model.steps) {
    if (s.name === current || s.name === 'start' || (preferred && !preferred.includes(s.name))) continue;
    const ins = s.ins.map((i) => i.name);
    items.push({ label: s.name, kind: 'step', detail: ins.length ? `step (in ${ins.join(', ')})` : 'step', sortText: s.name === 'end' ? `z${s.name}` : `a${s.name}` });
  }
  return items;
}

function predsOf(flow: FlowAnalysis | undefined, step: string | undefined): string[] | undefined {
  if (!flow || !step) return undefined;
  const preds = flow.dag.preds.get(step);
  return preds && preds.length > 0 ? [...new Set(preds.map((e) => e.from))] : undefined;
}

/** Names a step can read with `in`, with their types; at a join, branch results as gathers. */
function inputNames(flow: FlowAnalysis | undefined, step: StepAnalysis | undefined): CompletionItem[] {
  if (!flow) return [];
  const declared = new Set(step?.model.ins.map((i) => i.name) ?? []);
  const items: CompletionItem[] = [];
  const push = (name: string, type: Type, detail: string, kind: CompletionItem['kind'], sort: string) => {
    if (declared.has(name)) return;
    const t = describeType(type);
    items.push({ label: name, kind, detail: `${t} · ${detail}`, insertText: type.kind === 'error' ? name : `${name}: ${t}`, sortText: `${sort}${name}` });
  };
  const visible = step && flow.dataflow.steps.has(step.name);
  if (visible) {
    for (const v of visibleAt(flow, step.name)) {
      const detail = v.kind === 'param' ? 'parameter' : v.kind === 'item' ? `foreach element of ${v.producers.join(', ')}` : `from ${v.producers.join(', ')}`;
      push(v.name, v.type, detail, v.kind === 'param' ? 'param' : 'artifact', v.kind === 'param' ? 'b' : 'a');
    }
    const fanout = flow.dag.joinOf.get(step.name);
    if (fanout) {
      for (const art of flow.symbols.artifacts.values()) {
        const producers = art.decls.filter((d) => flow.dag.contexts.get(d.step)?.some((f) => f.fanout === fanout)).map((d) => d.step);
        if (producers.length === 0 || items.some((i) => i.label === art.name)) continue;
        push(art.name, { kind: 'list', element: art.decls[0].type }, `gathered from ${[...new Set(producers)].join(', ')}`, 'artifact', 'a');
      }
    }
    return items;
  }
  // The DAG is not sound yet (e.g. half-written): offer every artifact and parameter of the flow.
  for (const art of flow.symbols.artifacts.values()) push(art.name, art.decls[0]?.type ?? { kind: 'error' }, `from ${art.decls.map((d) => d.step).join(', ')}`, 'artifact', 'a');
  for (const p of flow.symbols.params.values()) push(p.name, p.type, 'parameter', 'param', 'b');
  return items;
}

/** Switch subjects and foreach lists: the step's outputs and inputs (read after the body ran). */
function subjectNames(step: StepAnalysis | undefined, accept: (t: Type) => boolean): CompletionItem[] {
  if (!step) return [];
  const items: CompletionItem[] = [];
  const seen = new Set<string>();
  for (const o of step.model.outs) if (accept(o.type) && !seen.has(o.name)) (seen.add(o.name), items.push({ label: o.name, kind: 'artifact', detail: `${describeType(o.type)} · output` }));
  for (const i of step.inputs) if (accept(i.type) && !seen.has(i.name)) (seen.add(i.name), items.push({ label: i.name, kind: 'artifact', detail: `${describeType(i.type)} · input` }));
  return items;
}

function typeNames(doc: IdeDocument): CompletionItem[] {
  const items: CompletionItem[] = BUILTIN_TYPES.map((t) => ({ label: t, kind: 'type' as const, detail: 'built-in type', sortText: `b${t}` }));
  for (const rec of doc.analysis.types.values()) {
    const fields = [...rec.fields.values()].map((f) => `${f.name}: ${describeType(f.type)}`).join(', ');
    items.push({ label: rec.name, kind: 'type', detail: `record { ${fields} }`, sortText: `a${rec.name}` });
  }
  return items;
}

/** Fields of a record-typed parameter's default value `{ ... }`, minus those already given. */
function recordFields(doc: IdeDocument, record: string | undefined, line: string[]): CompletionItem[] {
  const rec = record ? doc.analysis.types.get(record) : undefined;
  if (!rec) return [];
  const given = new Set(line.filter((_, i) => line[i + 1] === ':'));
  return [...rec.fields.values()].filter((f) => !given.has(f.name)).map((f) => ({ label: f.name, kind: 'field' as const, detail: describeType(f.type), insertText: `${f.name}: ` }));
}

function decoratorNames(on: 'flow' | 'step'): CompletionItem[] {
  return Object.values(decoratorCatalog)
    .filter((d) => appliesTo(d, on))
    .map((d) => ({
      label: d.name,
      kind: 'decorator' as const,
      detail: `@${d.name}(${d.args.map((a) => a.name).join(', ')})`,
      documentation: describeDecorator(d.name),
      insertText: d.args.length || d.rest ? `${d.name}($1)` : d.name,
      snippet: d.args.length > 0 || d.rest !== undefined,
    }));
}

function decoratorArgs(name: string, ctx: CompletionContext): CompletionItem[] {
  const spec = decoratorCatalog[name];
  if (!spec) return [];
  const stmt = ctx.statement;
  const prev = ctx.previous;
  const openIdx = stmt.lastIndexOf('(');
  const inside = stmt.slice(openIdx + 1);
  // The argument being written: `name:` before the cursor, else the first (positional) one.
  const lastComma = inside.lastIndexOf(',');
  const current = inside.slice(lastComma + 1);
  if ((prev === '(' || prev === ',') && /^\d/.test(ctx.word)) {
    const positional = spec.args.find((a) => a.positional);
    return positional && prev === '(' ? valueCompletions(positional, ctx) : [];
  }
  if (prev === '(' || prev === ',') {
    const given = new Set(inside.filter((_, i) => inside[i + 1] === ':'));
    const items: CompletionItem[] = spec.args
      .filter((a) => !given.has(a.name))
      .map((a) => ({ label: a.name, kind: 'argument' as const, detail: argDetail(a), documentation: a.doc, insertText: `${a.name}: ` }));
    return items;
  }
  const argName = current.length >= 2 && current[1] === ':' ? current[0] : current.length === 0 && lastComma < 0 ? spec.args.find((a) => a.positional)?.name : undefined;
  const arg = spec.args.find((a) => a.name === argName);
  if (!arg) return [];
  if (prev === ':' || (current.length === 0 && lastComma < 0)) return valueCompletions(arg, ctx);
  return [];
}

function argDetail(a: ArgSpec): string {
  return `${a.kind}${a.default !== undefined ? ` = ${defaultText(a)}` : a.required ? ' (required)' : ''}`;
}

/** Values of an argument: units after a number for sizes and durations, presets for a schedule. */
function valueCompletions(arg: ArgSpec, ctx: CompletionContext): CompletionItem[] {
  const num = /^(\d+(?:\.\d+)?)([A-Za-z]*)$/.exec(ctx.word);
  if (arg.kind === 'size' || arg.kind === 'duration') {
    if (!num) return [];
    const units: readonly string[] = arg.kind === 'size' ? sizeUnits : durationUnits;
    return units
      .filter((u) => u.toLowerCase().startsWith(num[2].toLowerCase()))
      .map((u, i) => ({ label: `${num[1]}${u}`, kind: 'unit' as const, detail: arg.kind === 'size' ? 'size' : 'duration', sortText: String(i).padStart(2, '0') }));
  }
  if (arg.kind === 'cron') return Object.entries(SCHEDULE_PRESETS).map(([name, cron]) => ({ label: name, kind: 'value' as const, detail: `"${cron}"` }));
  return [];
}

/** Inside a `run` string: `{{ in. / out. / param. }}` and then the names. */
function templateCompletions(doc: IdeDocument, ctx: CompletionContext, offset: number): CompletionItem[] {
  const s = ctx.inString!;
  // Scripts bind inputs as variables; templates belong to `run` commands (and argv elements).
  if (s.after === 'python' || s.after === 'sh' || s.after === 'image' || s.after === '=' || s.after === ':') return [];
  const open = s.before.lastIndexOf('{{');
  if (open < 0 || s.before.indexOf('}}', open) >= 0) return [];
  const inside = s.before.slice(open + 2);
  const m = /^\s*(?:(in|out|param)\.)?([A-Za-z0-9_]*)$/.exec(inside);
  if (!m) return [];
  const flow = doc.analysis.flows.find((f) => f.name === ctx.flow);
  const step = ctx.step ? flow?.steps.get(ctx.step) : undefined;
  const replace = { start: offset - m[2].length, end: ctx.replace.end };
  if (!m[1]) {
    return [
      { label: 'in.', kind: 'template', detail: 'an input of this step (value, or path for structured data)', replace },
      { label: 'out.', kind: 'template', detail: 'the path this step writes an output to', replace },
      { label: 'param.', kind: 'template', detail: 'a flow parameter', replace },
    ].map((it) => ({ ...it, kind: 'template' as const }));
  }
  const close = /^\s*\}\}/.test(doc.text.slice(ctx.replace.end, ctx.replace.end + 64)) ? '' : '}}';
  const item = (name: string, type: Type, detail: string): CompletionItem => ({ label: name, kind: 'template', detail: `${describeType(type)} · ${detail}`, insertText: name + close, replace });
  if (m[1] === 'in') return step?.inputs.length ? step.inputs.map((i) => item(i.name, i.type, 'input')) : (step?.model.ins ?? []).map((i) => item(i.name, i.declared ?? { kind: 'error' }, 'input'));
  if (m[1] === 'out') return (step?.model.outs ?? []).map((o) => item(o.name, o.type, 'output'));
  return [...(flow?.symbols.params.values() ?? [])].map((p) => item(p.name, p.type, 'parameter'));
}
