/**
 * Hover: what a name means here.
 * - An artifact: its type and origin at this step (which steps produce it, on which paths; gathered or picked at
 *   a join), or at its `out` the steps that read it.
 * - A step: its inputs, outputs, resources, retry/timeout, and its place in the DAG.
 * - A parameter: type and default; a record type: its fields; a foreach element: its list.
 * - A decorator or one of its arguments: the catalogue's documentation, types and defaults.
 */
import { paramHelp } from '../param-help.ts';
import { describeType } from '../ir.ts';
import { referencesTo, type Analysis, type FlowAnalysis, type StepAnalysis } from '../analyze.ts';
import { argSignature, decoratorCatalog, defaultText, placeText, rangeOf, rangeText, type ArgSpec } from '../decorators.ts';
import { durationToSeconds, sizeToMiB } from '../../grammar/units.ts';
import type { Type } from '../sem-types.ts';
import type { Symbol } from '../symbols.ts';
import type { IdeDocument } from './document.ts';
import { contains, decoratorAt, placeAt } from './locate.ts';
import { inputsResolved, symbolAt } from './symbol-at.ts';
import { completionContext, lexStart } from './completion-context.ts';
import type { Hover } from './types.ts';

const code = (s: string) => '`' + s + '`';
const block = (s: string) => '```flow\n' + s + '\n```';

export function getHover(doc: IdeDocument, offset: number): Hover | null {
  const analysis = doc.analysis;
  const deco = decoratorAt(analysis, offset);
  const literal = deco?.decorator.args?.map((a) => a.value).find((v) => v && (v.kind === 'Size' || v.kind === 'Duration') && contains(v.span, offset));
  if (literal && (literal.kind === 'Size' || literal.kind === 'Duration')) {
    const written = `${literal.value}${literal.unit}`;
    const normal = literal.kind === 'Size' ? sizeToMiB(literal.value, literal.unit) : durationToSeconds(literal.value, literal.unit);
    if (normal !== undefined) return { span: literal.span, contents: `${code(written)} = ${normal.toLocaleString('en-US')} ${literal.kind === 'Size' ? 'MiB' : 's'}` };
  }
  if (deco && (contains(deco.decorator.name.span, offset) || deco.arg)) {
    const spec = decoratorCatalog[deco.decorator.name.name];
    if (!spec) return null;
    if (deco.arg?.name) {
      const arg = spec.args.find((a) => a.name === deco.arg!.name!.name);
      if (!arg) return null;
      const tail = arg.default !== undefined ? ` = ${defaultText(arg)}` : arg.required ? ' (required)' : '';
      return { span: deco.arg.name.span, contents: `${block(`@${spec.name}(${arg.name}: ${arg.kind}${tail})`)}\n\n${arg.doc}${allowed(arg)}` };
    }
    return { span: { start: deco.decorator.span.start, end: deco.decorator.name.span.end }, contents: describeDecorator(spec.name) };
  }
  const at = symbolAt(doc, offset);
  const place = placeAt(analysis, offset);
  if (!at) return keywordHover(doc, offset);
  return { span: at.reference.span, contents: describeSymbol(analysis, at.symbol, place.flow, place.step, at.reference.span.start) };
}

const keywordDocs: Record<string, string> = {
  flow: 'Declares a flow: its parameters, default image and steps. Every flow has a `start` and an `end` step.',
  type: 'Declares a record type: named, typed fields. Records are stored as JSON files.',
  step: 'Declares a step: what it reads (`in`), produces (`out`), runs, and where it goes `next`.',
  param: 'Declares a flow parameter, overridable at submit or run time; without a default it is required. Steps read it with `in`.',
  image: 'The container image steps run in: at flow level the default, inside a step an override.',
  in: 'Reads an artifact, a foreach element or a parameter. At a join, `in x: [T]` gathers one value per branch or task, and `in x: T from a` picks one branch.',
  out: 'Declares an output artifact of the step. An output no step reads is a result of the flow, kept after the run.',
  from: 'At a join, picks the value produced on the branch through the named step: `in x: T from a`.',
  run: 'Runs a command: `run "shell command"`, or `run ["argv", ...]` without a shell. `{{in.x}}`, `{{out.x}}` and `{{param.x}}` stand for values or paths.',
  python: 'An inline Python script: inputs are bound as variables, and outputs are read back from variables of the same names.',
  sh: 'An inline shell script: inputs are bound as environment variables, outputs are read back from variables of the same names.',
  next: 'Where the flow goes after this step: `next a` (linear), `next a, b` (split: both run), `next a foreach x in xs` (one task per element), or `next switch v { ... }` (exactly one runs).',
  foreach: 'Fans out: one task of the target step per element of a list artifact, under the element name given. A step gathering with `in x: [T]` closes it.',
  pass: 'At a join: `pass a, b` (or `pass *`) passes on artifacts that exactly one branch of the split produced, as if the join produced them.',
  join: 'Before `step`: the step closes the innermost open split or foreach, even when it gathers nothing (`join step collect { ... }`).',
  switch: 'Branches on a `string`, `int` or `bool` artifact: exactly one case runs; `else` catches the rest. The branches reconverge without a join.',
  else: 'The switch case taken when no other case matches.',
};

/** Documentation of the keyword under the cursor (not inside strings or comments, and not a name used as one). */
function keywordHover(doc: IdeDocument, offset: number): Hover | null {
  const text = doc.text;
  let start = offset;
  while (start > 0 && /[A-Za-z_]/.test(text[start - 1])) start--;
  let end = offset;
  while (end < text.length && /[A-Za-z0-9_]/.test(text[end])) end++;
  const word = text.slice(start, end);
  if (!Object.prototype.hasOwnProperty.call(keywordDocs, word)) return null;
  const ctx = completionContext(text, start, lexStart(doc.parsed.file, text, start));
  if (ctx.inString || ctx.inComment) return null;
  return { span: { start, end }, contents: `${block(word)}\n\n${keywordDocs[word]}` };
}

/** The argument's allowed values as a sentence, when it has a range. */
function allowed(arg: ArgSpec): string {
  const range = rangeOf(arg);
  return range ? ` Allowed: ${rangeText(range)}.` : '';
}

export function describeDecorator(name: string): string {
  const spec = decoratorCatalog[name];
  if (!spec) return '';
  const args = spec.args.map(argSignature).join(', ');
  const argDocs = spec.args.map((a) => `- ${code(a.name)} (${a.kind}${a.required ? ', required' : a.default !== undefined ? `, default ${code(defaultText(a)!)}` : ''}): ${a.doc}${allowed(a)}`);
  if (spec.rest) argDocs.push(`- any name: ${spec.rest.doc}`);
  return [block(`@${spec.name}(${args}${spec.rest ? (args ? ', ' : '') + 'NAME: string, ...' : ''})`), `${spec.doc} (on ${placeText(spec)})`, argDocs.join('\n'), `Example: ${code(spec.example)}`]
    .filter(Boolean)
    .join('\n\n');
}

function describeSymbol(analysis: Analysis, symbol: Symbol, flow: FlowAnalysis | undefined, step: StepAnalysis | undefined, at: number): string {
  switch (symbol.kind) {
    case 'flow':
      return describeFlow(analysis.flows.find((f) => f.name === symbol.name));
    case 'type': {
      const fields = [...symbol.fields.values()].map((f) => `  ${f.name}: ${describeType(f.type)}`);
      return block(`type ${symbol.name} {\n${fields.join('\n')}\n}`);
    }
    case 'field':
      return block(`${symbol.record}.${symbol.name}: ${describeType(symbol.type)}`);
    case 'param': {
      const f = analysis.flows.find((x) => x.name === symbol.flow);
      const def = f?.paramDefaults.get(symbol.name);
      const readers = f ? readersOf(analysis, f, symbol) : [];
      const help = paramHelp(analysis.text, symbol.decl.span);
      return [
        block(`param ${symbol.name}: ${describeType(symbol.type)}${symbol.decl.default ? ` = ${analysis.text.slice(symbol.decl.default.span.start, symbol.decl.default.span.end)}` : ''}`),
        ...(help ? [help] : []),
        def === undefined && !symbol.decl.default ? 'Required: give it at submit or run time.' : 'Overridable at submit or run time.',
        readers.length ? `Read by ${list(readers)}.` : 'Read by no step.',
      ].join('\n\n');
    }
    case 'item':
      return [block(`${symbol.name}: ${describeType(symbol.type)}`), `The element of each task of the foreach at step ${code(symbol.foreach)} (over ${code(symbol.decl.list?.name ?? '?')}).`].join('\n\n');
    case 'step':
      return describeStep(flow?.steps.get(symbol.name), flow);
    case 'artifact':
      return describeArtifact(analysis, symbol, flow, step, at);
  }
}

function describeArtifact(analysis: Analysis, symbol: Extract<Symbol, { kind: 'artifact' }>, flow: FlowAnalysis | undefined, step: StepAnalysis | undefined, at: number): string {
  const producedBy = symbol.decls.map((d) => `${code(d.step)} (${describeType(d.type)})`);
  const lines: string[] = [];
  const input = step?.inputs.find((i) => contains(i.decl.name.span, at)) ?? step?.inputs.find((i) => i.name === symbol.name);
  const isOut = step?.outputs.some((o) => o.name === symbol.name && contains(o.decl.name.span, at));
  const declaredIn = step?.model.ins.find((i) => contains(i.decl.name.span, at));
  if (step && declaredIn && !input) {
    lines.push(block(`in ${symbol.name}${declaredIn.declared ? `: ${describeType(declaredIn.declared)}` : ''}`));
    lines.push(`Produced by ${producedBy.join(', ')}; where it comes from here is unknown until the flow's graph is fixed (see the diagnostics).`);
  } else if (step && input && !isOut) {
    lines.push(block(`in ${symbol.name}: ${describeType(input.type)}`));
    const src = input.source;
    const open = flow?.dag.open.has(step.name);
    if (!src && open) lines.push(`Produced by ${producedBy.join(', ')}; where it comes from here is unknown until the flow's graph is fixed (see the diagnostics).`);
    else if (!src) lines.push('Not resolved here (see the diagnostic).');
    else if (src.kind === 'artifact')
      lines.push(
        `Produced by ${list(src.producers)}${src.producers.length > 1 ? ' (one per switch branch: whichever ran)' : ''}, ${open ? `on the known paths to ${code(step.name)} (the flow's graph is broken: see the diagnostics)` : `on every path to ${code(step.name)}`}.`,
      );
    else if (src.kind === 'gather')
      lines.push(`Gathered at this join: one value per ${src.over === 'split' ? 'branch of the split' : 'foreach task, in list order'}${src.over === 'split' ? `, from ${src.branches.map((b) => list(b.producers)).join(', ')}` : ` (produced by ${list(src.branches[0]?.producers ?? [])})`}.`);
    else if (src.kind === 'pick') lines.push(`Picked from the branch through ${code(src.from)} (produced by ${list(src.producers)}).`);
    else if (src.kind === 'param') lines.push(`The flow parameter ${code(src.param)}.`);
    else if (src.kind === 'item') lines.push(`The element of the foreach at ${code(src.foreach)} over ${code(src.list)}.`);
  } else {
    const type = symbol.decls[0] ? describeType(symbol.decls[0].type) : '?';
    lines.push(block(`out ${symbol.name}: ${type}`));
    lines.push(`Produced by ${producedBy.join(', ')}.`);
  }
  if (flow) {
    const readers = readersOf(analysis, flow, symbol);
    lines.push(readers.length ? `Read by ${list(readers)}.` : 'Read by no step: a result of the flow, kept after the run.');
  }
  return lines.join('\n\n');
}

/** The steps that read the symbol: an `in`, a template, a switch subject or a foreach list naming it. */
function readersOf(analysis: Analysis, flow: FlowAnalysis, symbol: Symbol): string[] {
  const readers = new Set<string>();
  for (const r of referencesTo(analysis, symbol)) {
    if (r.declaration) continue;
    for (const s of flow.steps.values()) if (contains(s.model.decl.span, r.span.start)) readers.add(s.name);
  }
  // Where the reads were not resolved (a broken graph, a step cut off from `start`): go by the names of the `in`s.
  if (symbol.kind === 'artifact' || symbol.kind === 'param') {
    for (const s of flow.steps.values()) if (!inputsResolved(flow, s.name) && s.model.ins.some((i) => i.name === symbol.name)) readers.add(s.name);
  }
  return [...readers].sort();
}

function describeStep(step: StepAnalysis | undefined, flow: FlowAnalysis | undefined): string {
  if (!step || !flow) return '';
  const m = step.model;
  const ins = step.inputs.length ? step.inputs : m.ins.map((i) => ({ name: i.name, type: i.declared ?? ({ kind: 'error' } as Type) }));
  const head = [`step ${m.name} {`, ...ins.map((i) => `  in ${i.name}: ${describeType(i.type)}`), ...m.outs.map((o) => `  out ${o.name}: ${describeType(o.type)}`), '}'].join('\n');
  const lines = [block(head)];
  const dag = flow.dag;
  const preds = [...new Set((dag.preds.get(m.name) ?? []).map((e) => e.from))];
  const succs = m.edges.map((e) => e.to);
  const role: string[] = [];
  if (m.name === 'start') role.push('The first step of the flow.');
  if (m.name === 'end') role.push('The last step of the flow.');
  const joined = dag.joinOf.get(m.name);
  if (joined) role.push(`A join: closes the ${flow.model.stepByName.get(joined)?.next?.kind === 'NextForeach' ? 'foreach' : 'split'} at ${code(joined)}.`);
  if (m.next?.kind === 'NextSteps' && m.next.targets.length > 1) role.push(`A split: ${list(succs)} run in parallel${dag.joinFor.get(m.name) ? `, joined at ${code(dag.joinFor.get(m.name)!)}` : ''}.`);
  if (m.next?.kind === 'NextForeach') role.push(`A foreach: one ${code(m.next.target?.name ?? '?')} task per element of ${code(m.next.list?.name ?? '?')}${dag.joinFor.get(m.name) ? `, gathered at ${code(dag.joinFor.get(m.name)!)}` : ''}.`);
  if (m.next?.kind === 'NextSwitch') role.push(`A switch on ${code(m.next.subject?.name ?? '?')}: exactly one of ${list(succs)} runs${dag.mergeFor.get(m.name) ? `, reconverging at ${code(dag.mergeFor.get(m.name)!)}` : ''}.`);
  const inside = step.context.filter((f) => f.kind === 'foreach').map((f) => code(f.fanout));
  if (inside.length) role.push(`Runs once per element of the foreach at ${inside.join(', ')}.`);
  lines.push([...role, `After: ${preds.length ? list(preds) : 'nothing'}. Before: ${succs.length ? list(succs) : 'nothing'}.`].join(' '));
  const d = step.decorations.ir;
  const r = d.resources;
  const res = r ? [r.cpu !== null ? `cpu ${r.cpu}` : '', r.memoryMiB !== null ? `memory ${r.memoryMiB} MiB` : '', r.gpu !== null ? `gpu ${r.gpu}` : '', r.diskMiB !== null ? `disk ${r.diskMiB} MiB` : ''].filter(Boolean) : [];
  const extra: string[] = [];
  if (res.length) extra.push(`Resources: ${res.join(', ')}.`);
  if (d.retry) extra.push(`Retries: ${d.retry.times}${d.retry.delaySeconds ? `, ${d.retry.delaySeconds} s apart` : ''}.`);
  if (d.timeoutSeconds !== null && d.timeoutSeconds !== undefined) extra.push(`Timeout: ${d.timeoutSeconds} s.`);
  if (extra.length) lines.push(extra.join(' '));
  return lines.join('\n\n');
}

function describeFlow(flow: FlowAnalysis | undefined): string {
  if (!flow) return '';
  const params = [...flow.symbols.params.values()].map((p) => `${p.name}: ${describeType(p.type)}`);
  const lines = [block(`flow ${flow.name}`), `${flow.model.steps.length} steps${params.length ? `; parameters ${params.map(code).join(', ')}` : ''}.`];
  if (flow.decorations.ir.schedule) lines.push(`Scheduled: ${code(JSON.stringify(flow.decorations.ir.schedule))}.`);
  return lines.join('\n\n');
}

function list(names: string[]): string {
  const q = names.map(code);
  return q.length <= 1 ? q.join('') : `${q.slice(0, -1).join(', ')} and ${q[q.length - 1]}`;
}
