/** The symbol under the cursor and all its occurrences, shared by definition, references, rename, highlights and hover. */
import { referenceAt, referencesTo } from '../analyze.ts';
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
 * In a flow whose graph is broken (a cycle, no `start`) the dataflow does not resolve `in`s; an `in` then
 * stands for the artifact (or else the parameter) of its name.
 */
export function symbolAt(doc: IdeDocument, offset: number): SymbolAt | undefined {
  const reference = referenceAt(doc.analysis, offset);
  if (reference) return { symbol: reference.symbol, reference };
  for (const flow of doc.analysis.flows) {
    if (flow.dag.sound || !contains(flow.decl.span, offset)) continue;
    for (const step of flow.model.steps) {
      const input = step.ins.find((i) => contains(i.decl.name.span, offset));
      const symbol = input && (flow.symbols.artifacts.get(input.name) ?? flow.symbols.params.get(input.name));
      if (input && symbol) return { symbol, reference: { span: input.decl.name.span, symbol, node: input.decl.name, declaration: false } };
    }
  }
  return undefined;
}

/** Every occurrence of a symbol, in source order; in a flow with a broken graph, unresolved `in`s of its name too. */
export function occurrencesOf(doc: IdeDocument, symbol: Symbol): Reference[] {
  const refs = referencesTo(doc.analysis, symbol);
  const flow = doc.analysis.flows.find((f) => f.name === symbol.flow);
  if (!flow || flow.dag.sound || (symbol.kind !== 'artifact' && symbol.kind !== 'param')) return refs;
  const seen = new Set(refs.map((r) => r.span.start));
  const extra: Reference[] = [];
  for (const step of flow.model.steps) {
    for (const i of step.ins) {
      if (i.name !== symbol.name || seen.has(i.decl.name.span.start)) continue;
      // An `in` of a parameter's name reads the artifact when there is one.
      if (symbol.kind === 'param' && flow.symbols.artifacts.has(i.name)) continue;
      extra.push({ span: i.decl.name.span, symbol, node: i.decl.name, declaration: false });
    }
  }
  return [...refs, ...extra].sort((a, b) => a.span.start - b.span.start);
}

/** The spans where a symbol is declared (every producing `out` for an artifact). */
export function declarationSpans(symbol: Symbol): Span[] {
  if (symbol.kind === 'artifact') return symbol.decls.map((d) => d.decl.name.span);
  return [symbol.nameSpan];
}
