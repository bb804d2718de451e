/** The symbol under the cursor and all its occurrences, shared by definition, references, rename, highlights and hover. */
import { referenceAt, referencesTo, type FlowAnalysis } from '../analyze.ts';
import type { Reference, Symbol } from '../symbols.ts';
import type { IdeDocument } from './document.ts';
import { contains } from './locate.ts';
import type { Span } from './types.ts';

export interface SymbolAt {
  symbol: Symbol;
  /** The occurrence under the cursor. */
  reference: Reference;
}

/**
 * The name occurrence at `offset`: one whose span contains it, or ends right at it (a cursor just after a name,
 * as when the user has just typed it). Undefined when the cursor is not on a resolved name.
 * Where the dataflow resolved no `in` (a flow whose graph is broken: a cycle, no `start`; or a step cut off from
 * `start` by a misspelt `next`), an `in` and its `{{in.x}}` templates stand for the artifact (or else the
 * parameter) of its name.
 */
export function symbolAt(doc: IdeDocument, offset: number): SymbolAt | undefined {
  const reference = referenceAt(doc.analysis, offset);
  if (reference) return { symbol: reference.symbol, reference };
  for (const flow of doc.analysis.flows) {
    if (!contains(flow.decl.span, offset)) continue;
    for (const read of unresolvedReads(flow)) if (contains(read.span, offset)) return { symbol: read.symbol, reference: read };
  }
  return undefined;
}

/** Every occurrence of a symbol, in source order; unresolved reads of its name (see `symbolAt`) too. */
export function occurrencesOf(doc: IdeDocument, symbol: Symbol): Reference[] {
  const refs = referencesTo(doc.analysis, symbol);
  const flow = doc.analysis.flows.find((f) => f.name === symbol.flow);
  if (!flow || (symbol.kind !== 'artifact' && symbol.kind !== 'param')) return refs;
  const seen = new Set(refs.map((r) => r.span.start));
  const extra = unresolvedReads(flow).filter((r) => r.symbol === symbol && !seen.has(r.span.start));
  return extra.length ? [...refs, ...extra].sort((a, b) => a.span.start - b.span.start) : refs;
}

/** Whether the dataflow resolved the `in`s of a step (it runs only on a sound graph, over steps reached from `start`). */
export const inputsResolved = (flow: FlowAnalysis, step: string): boolean => flow.dataflow.steps.has(step);

/**
 * The `in`s, and the `{{in.x}}` templates naming them, of the steps whose inputs the dataflow did not resolve,
 * each taken for the artifact of its name, else the parameter (an `in` reads the artifact when there is one).
 */
function unresolvedReads(flow: FlowAnalysis): Reference[] {
  const out: Reference[] = [];
  for (const step of flow.steps.values()) {
    if (inputsResolved(flow, step.name)) continue;
    const symbolOf = (name: string) => flow.symbols.artifacts.get(name) ?? flow.symbols.params.get(name);
    for (const i of step.model.ins) {
      const symbol = symbolOf(i.name);
      if (symbol && i.decl.name?.span) out.push({ span: i.decl.name.span, symbol, node: i.decl.name, declaration: false });
    }
    for (const template of step.templates.values()) {
      for (const part of template.parts) {
        if (part.kind !== 'ref' || part.scope !== 'in' || !step.model.ins.some((i) => i.name === part.name)) continue;
        const symbol = symbolOf(part.name);
        if (symbol) out.push({ span: part.nameSpan, symbol, declaration: false });
      }
    }
  }
  return out;
}

/** The spans where a symbol is declared (every producing `out` for an artifact). */
export function declarationSpans(symbol: Symbol): Span[] {
  if (symbol.kind === 'artifact') return symbol.decls.map((d) => d.decl.name.span);
  return [symbol.nameSpan];
}
