/**
 * Templates in `run` strings: `{{in.x}}`, `{{out.y}}`, `{{param.z}}`, parsed with Handlebars' parser and
 * mapped back to source offsets through `StringLit.offsets`, so errors point inside the string.
 *
 * Codes: invalid-template, unknown-template-ref.
 * Invariant: `{{in.x}}` needs an `in x` declared by the step, `{{out.y}}` an `out y`, `{{param.z}}` a parameter.
 */
import type { StringLit } from '../grammar/ast.ts';
import type { Span } from '../diagnostics/types.ts';
import handlebarsParser, { type HbsPath, type HbsProgram } from 'handlebars/dist/cjs/handlebars/compiler/base.js';
import { addReference, type CheckContext } from './context.ts';
import type { ResolvedInput } from './dataflow.ts';
import { didYouMean, suggest } from '../diagnostics/suggest.ts';
import type { FlowModel, StepModel } from './resolve.ts';
import type { Type } from './sem-types.ts';

export type TemplateScope = 'in' | 'out' | 'param';
export type ParsedPart = { kind: 'text'; text: string } | { kind: 'ref'; scope: TemplateScope; name: string; span: Span; nameSpan: Span };
export interface ParsedTemplate {
  text: string;
  parts: ParsedPart[];
  /** False when the template has an error (then `parts` is a single text part). */
  ok: boolean;
}

interface Loc {
  start: { line: number; column: number };
  end: { line: number; column: number };
}

/** Parses the templates of a string literal, reporting malformed ones. */
function parseTemplate(lit: StringLit, ctx: CheckContext): ParsedTemplate {
  const text = lit.value ?? '';
  const whole: ParsedTemplate = { text, parts: text ? [{ kind: 'text', text }] : [], ok: false };
  if (!text.includes('{{')) return { ...whole, ok: true };
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const toIndex = (p: { line: number; column: number }) => Math.min(text.length, (lineStarts[p.line - 1] ?? 0) + p.column);
  const toOffset = (index: number) => lit.offsets?.[index] ?? lit.span.start;
  const spanOf = (loc: Loc): Span => ({ start: toOffset(toIndex(loc.start)), end: toOffset(toIndex(loc.end)) });

  let program: HbsProgram;
  try {
    program = handlebarsParser.parseWithoutProcessing(text);
  } catch (err) {
    const first = String((err as Error)?.message ?? err).split('\n')[0].replace(/\.$/, '');
    ctx.report('invalid-template', lit.span, `The templates in this string do not parse (${first}).`);
    return whole;
  }
  const parts: ParsedPart[] = [];
  let ok = true;
  for (const stmt of program.body) {
    const loc: Loc = stmt.loc;
    if (stmt.type === 'ContentStatement') {
      const value = stmt.original ?? '';
      const last = parts[parts.length - 1];
      if (last?.kind === 'text') last.text += value;
      else parts.push({ kind: 'text', text: value });
      continue;
    }
    const span = spanOf(loc);
    const source = text.slice(toIndex(loc.start), toIndex(loc.end));
    if (stmt.type !== 'MustacheStatement') {
      ok = false;
      ctx.report('invalid-template', span, `Template '${source}' is not supported; use a plain reference such as '{{in.x}}'.`);
      continue;
    }
    const path = stmt.path as HbsPath | undefined;
    const parts2 = path?.type === 'PathExpression' ? path.parts : [];
    const tripleOrParams = !stmt.escaped || (stmt.params?.length ?? 0) > 0 || (stmt.hash?.pairs?.length ?? 0) > 0;
    if (!path || path.type !== 'PathExpression' || tripleOrParams || path.data || path.depth > 0 || parts2.length !== 2 || !/^[A-Za-z_.]+[A-Za-z0-9_]*$/.test(path.original)) {
      ok = false;
      ctx.report('invalid-template', span, `Template '${source}' is not supported; use a plain reference such as '{{in.x}}'.`);
      continue;
    }
    const [scope, name] = parts2;
    if (scope !== 'in' && scope !== 'out' && scope !== 'param') {
      ok = false;
      ctx.report('invalid-template', span, `Template '${source}' must start with 'in.', 'out.' or 'param.'.`);
      continue;
    }
    const pathStart = toIndex(path.loc.start);
    const nameStart = pathStart + path.original.indexOf('.') + 1;
    const nameSpan = { start: toOffset(nameStart), end: toOffset(nameStart + name.length) };
    parts.push({ kind: 'ref', scope, name, span, nameSpan });
  }
  if (!ok) return whole;
  return { text, parts, ok: true };
}

/** The strings of a step's `run` body (none for scripts, whose inputs are bound as variables). */
function templateStrings(step: StepModel): StringLit[] {
  const body = step.body;
  if (body?.kind === 'RunShell') return body.command ? [body.command] : [];
  if (body?.kind === 'RunArgv') return body.args ?? [];
  return [];
}

/** Resolves the references of one step's templates; returns the parsed templates by literal. */
export function checkStepTemplates(
  step: StepModel,
  flow: FlowModel,
  inputs: readonly ResolvedInput[] | undefined,
  usedParams: Set<string>,
  ctx: CheckContext,
): Map<StringLit, ParsedTemplate> {
  const out = new Map<StringLit, ParsedTemplate>();
  for (const lit of templateStrings(step)) {
    const parsed = parseTemplate(lit, ctx);
    out.set(lit, parsed);
    for (const part of parsed.parts) {
      if (part.kind !== 'ref') continue;
      const show = `{{${part.scope}.${part.name}}}`;
      if (part.scope === 'in') {
        const input = step.ins.find((i) => i.name === part.name);
        if (input) {
          const sym = ctx.identSymbols.get(input.decl.name);
          if (sym) addReference(ctx, sym, part.nameSpan);
          continue;
        }
        const suggestion = suggest(part.name, step.ins.map((i) => i.name));
        ctx.report('unknown-template-ref', part.nameSpan, `Template '${show}' names '${part.name}', which step '${step.name}' does not read with 'in'.${didYouMean(suggestion)}`, {
          data: suggestion ? { suggestion } : undefined,
        });
      } else if (part.scope === 'out') {
        const output = step.outs.find((o) => o.name === part.name);
        if (output) {
          const sym = flow.symbols.artifacts.get(part.name);
          if (sym) addReference(ctx, sym, part.nameSpan);
          continue;
        }
        const suggestion = suggest(part.name, step.outs.map((o) => o.name));
        ctx.report('unknown-template-ref', part.nameSpan, `Template '${show}' names '${part.name}', which step '${step.name}' does not produce with 'out'.${didYouMean(suggestion)}`, {
          data: suggestion ? { suggestion } : undefined,
        });
      } else {
        const param = flow.symbols.params.get(part.name);
        if (param) {
          usedParams.add(param.name);
          addReference(ctx, param, part.nameSpan);
          continue;
        }
        const suggestion = suggest(part.name, flow.symbols.params.keys());
        ctx.report('unknown-template-ref', part.nameSpan, `Template '${show}' names '${part.name}', which is not a parameter of flow '${flow.name}'.${didYouMean(suggestion)}`, {
          data: suggestion ? { suggestion } : undefined,
        });
      }
    }
  }
  void inputs;
  return out;
}

export type { Type };
