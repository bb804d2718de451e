/**
 * Quick fixes for the diagnostics in a range. Each is computed from the diagnostic's code, span and data plus
 * the analysis, never from the message text:
 * - a "did you mean" suggestion (`data.suggestion`): replace the name;
 * - `ambiguous-join-read`: gather (`in x: [T]`) or pick one branch (`in x: T from a`);
 * - `artifact-not-available`, `unknown-artifact`: declare `out x: T` on the step before the reader;
 * - `invalid-argument` for a size or duration written without a unit: add one;
 * - `unclosed-fanout`: add a join step before `end` and send the branches there (for a foreach, the join
 *   gathers the first output of the branches, which is what closes a foreach).
 * Fixes that the checker attaches to a diagnostic itself (`Diagnostic.fixes`) are offered as they are.
 */
import { describeType } from '../ir.ts';
import type { InDecl, StepDecl } from '../../grammar/ast.ts';
import type { Diagnostic } from '../../diagnostics/types.ts';
import { lineStartAt } from '../../diagnostics/line-index.ts';
import type { FlowAnalysis } from '../analyze.ts';
import type { Type } from '../sem-types.ts';
import type { IdeDocument } from './document.ts';
import { placeAt } from './locate.ts';
import type { CodeAction, Span, TextEdit } from './types.ts';

export function getCodeActions(doc: IdeDocument, range: Span): CodeAction[] {
  const out: CodeAction[] = [];
  for (const d of doc.analysis.diagnostics) {
    if (d.file || d.end < range.start || d.start > range.end) continue;
    const ref = { code: d.code, start: d.start, end: d.end };
    for (const fix of d.fixes ?? []) out.push({ title: fix.title, kind: 'quickfix', edits: fix.edits, diagnostic: ref });
    for (const action of fixesFor(doc, d)) out.push({ ...action, diagnostic: ref });
  }
  return out;
}

function fixesFor(doc: IdeDocument, d: Diagnostic): Omit<CodeAction, 'diagnostic'>[] {
  const suggestion = d.data?.suggestion;
  const rename: Omit<CodeAction, 'diagnostic'>[] =
    typeof suggestion === 'string' && suggestion ? [{ title: `Change to '${suggestion}'`, kind: 'quickfix', preferred: true, edits: [{ start: d.start, end: d.end, newText: suggestion }] }] : [];
  switch (d.code) {
    case 'ambiguous-join-read':
      return [...rename, ...joinReadFixes(doc, d)];
    case 'artifact-not-available':
    case 'unknown-artifact':
      return [...rename, ...declareOutFixes(doc, d).map((a) => (rename.length ? { ...a, preferred: false } : a))];
    case 'invalid-argument':
      return [...rename, ...unitFixes(doc, d)];
    case 'unclosed-fanout':
      return [...rename, ...missingJoinFixes(doc, d)];
    default:
      return rename;
  }
}

/** The `in` whose name the diagnostic points at, with its step and flow. */
function inputAt(doc: IdeDocument, d: Diagnostic): { flow: FlowAnalysis; step: StepDecl; input: InDecl } | undefined {
  const { flow, step } = placeAt(doc.analysis, d.start);
  if (!flow || !step) return undefined;
  const input = step.model.ins.find((i) => i.decl.name.span.start === d.start)?.decl;
  return input ? { flow, step: step.model.decl, input } : undefined;
}

function artifactType(flow: FlowAnalysis, name: string): Type | undefined {
  return flow.symbols.artifacts.get(name)?.decls[0]?.type;
}

function joinReadFixes(doc: IdeDocument, d: Diagnostic): Omit<CodeAction, 'diagnostic'>[] {
  const at = inputAt(doc, d);
  if (!at) return [];
  const { flow, input } = at;
  const written = input.type ? doc.text.slice(input.type.span.start, input.type.span.end) : undefined;
  const element = written ?? describeType(artifactType(flow, input.name.name) ?? { kind: 'json' });
  const typeEdit = (newType: string): TextEdit =>
    input.type ? { start: input.type.span.start, end: input.type.span.end, newText: newType } : { start: input.name.span.end, end: input.name.span.end, newText: `: ${newType}` };
  const actions: Omit<CodeAction, 'diagnostic'>[] = [{ title: `Gather '${input.name.name}' from every branch: 'in ${input.name.name}: [${element}]'`, kind: 'quickfix', preferred: true, edits: [typeEdit(`[${element}]`)] }];
  const fanout = flow.dag.joinOf.get(at.step.name.name);
  const fanStep = fanout ? flow.model.stepByName.get(fanout) : undefined;
  if (fanStep?.next?.kind === 'NextSteps' && !input.from) {
    for (const e of fanStep.edges) {
      const edits = [...(input.type ? [] : [typeEdit(element)]), { start: input.span.end, end: input.span.end, newText: ` from ${e.to}` }];
      actions.push({ title: `Pick '${input.name.name}' from the branch through '${e.to}'`, kind: 'quickfix', edits });
    }
  }
  return actions;
}

function declareOutFixes(doc: IdeDocument, d: Diagnostic): Omit<CodeAction, 'diagnostic'>[] {
  const at = inputAt(doc, d);
  if (!at) return [];
  const { flow, input } = at;
  const name = input.name.name;
  const type = input.type ? doc.text.slice(input.type.span.start, input.type.span.end) : describeType(artifactType(flow, name) ?? { kind: 'json' });
  const path = Array.isArray(d.data?.path) ? (d.data!.path as string[]) : undefined;
  const readerName = at.step.name.name;
  const candidates = path && path.length >= 2 ? [path[path.length - 2]] : [...new Set((flow.dag.preds.get(readerName) ?? []).map((e) => e.from))];
  const actions: Omit<CodeAction, 'diagnostic'>[] = [];
  for (const producer of candidates) {
    const step = flow.model.stepByName.get(producer);
    if (!step || step.outs.some((o) => o.name === name)) continue;
    // A branch feeding a gather (`in x: [T]` at a join) produces one element: `out x: T`.
    const gather = flow.dag.joinOf.get(readerName) !== undefined && input.type?.kind === 'ListType' && input.type.element;
    const finalType = gather ? doc.text.slice(gather.span.start, gather.span.end) : type;
    actions.push({ title: `Declare 'out ${name}: ${finalType}' on step '${producer}'`, kind: 'quickfix', preferred: actions.length === 0, edits: [insertMember(doc, step.decl, `out ${name}: ${finalType}`)] });
  }
  return actions;
}

/** An edit adding a member line to a step, after its last `in`/`out` (or first in the body), indented like its members. */
function insertMember(doc: IdeDocument, step: StepDecl, member: string): TextEdit {
  const text = doc.text;
  const members = step.members ?? [];
  const anchor = [...members].reverse().find((m) => m.kind === 'In' || m.kind === 'Out');
  const brace = text.indexOf('{', step.name.span.end);
  const lineStart = (off: number) => lineStartAt(text, off);
  const indentOf = (off: number) => /^[ \t]*/.exec(text.slice(lineStart(off)))![0];
  if (anchor) {
    const indent = lineStart(anchor.span.start) === lineStart(step.span.start) ? ' ' : '\n' + indentOf(anchor.span.start);
    return { start: anchor.span.end, end: anchor.span.end, newText: `${indent}${member}` };
  }
  const first = members[0];
  if (first && lineStart(first.span.start) !== lineStart(brace)) {
    return { start: lineStart(first.span.start), end: lineStart(first.span.start), newText: `${indentOf(first.span.start)}${member}\n` };
  }
  return { start: brace + 1, end: brace + 1, newText: `\n${indentOf(step.span.start)}  ${member}${first ? '\n' + indentOf(step.span.start) + ' ' : ''}` };
}

function unitFixes(doc: IdeDocument, d: Diagnostic): Omit<CodeAction, 'diagnostic'>[] {
  const expected = d.data?.expected;
  if (expected !== 'size' && expected !== 'duration') return [];
  const written = doc.text.slice(d.start, d.end);
  if (!/^\d+(\.\d+)?$/.test(written)) return [];
  const units = expected === 'size' ? ['GiB', 'MiB'] : ['s', 'm', 'h'];
  return units.map((u, i) => ({ title: `Add the unit: ${written}${u}`, kind: 'quickfix' as const, preferred: i === 0, edits: [{ start: d.end, end: d.end, newText: u }] }));
}

function missingJoinFixes(doc: IdeDocument, d: Diagnostic): Omit<CodeAction, 'diagnostic'>[] {
  const { flow } = placeAt(doc.analysis, d.start);
  if (!flow) return [];
  const fanout = flow.model.steps.find((s) => s.next && s.next.span.start === d.start) ?? flow.model.steps.find((s) => s.decl.name.span.start === d.start);
  const end = flow.model.stepByName.get('end');
  if (!fanout || !end) return [];
  const inside = (step: string) => step === fanout.name || (flow.dag.contexts.get(step) ?? []).some((f) => f.fanout === fanout.name);
  const toEnd = (flow.dag.preds.get('end') ?? []).filter((e) => inside(e.from));
  if (toEnd.length === 0) return [];
  let name = 'join';
  for (let i = 2; flow.symbols.steps.has(name); i++) name = i === 2 ? `join_${fanout.name}` : `join_${fanout.name}_${i}`;
  const isForeach = fanout.next?.kind === 'NextForeach';
  const members: string[] = [];
  if (isForeach) {
    const out = toEnd.map((e) => flow.model.stepByName.get(e.from)?.outs[0]).find((o) => o !== undefined);
    if (!out) return [];
    members.push(`in ${out.name}: [${describeType(out.type)}]`);
  }
  members.push('next end');
  const text = doc.text;
  const lineStart = lineStartAt(text, end.decl.span.start);
  const indent = /^[ \t]*/.exec(text.slice(lineStart))![0];
  const block = `${indent}step ${name} {\n${members.map((m) => `${indent}  ${m}\n`).join('')}${indent}}\n\n`;
  const edits: TextEdit[] = toEnd.map((e) => ({ start: e.ident.span.start, end: e.ident.span.end, newText: name }));
  edits.push({ start: lineStart, end: lineStart, newText: block });
  return [{ title: `Add a join step '${name}' closing the ${isForeach ? 'foreach' : 'split'} at '${fanout.name}'`, kind: 'quickfix', preferred: true, edits }];
}
