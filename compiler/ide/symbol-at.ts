/** The symbol under the cursor, shared by definition, references, rename, highlights and hover. */
import { referenceAt } from '../analyze.ts';
import type { Reference, Symbol } from '../symbols.ts';
import type { IdeDocument } from './document.ts';
import type { Span } from './types.ts';

export interface SymbolAt {
  symbol: Symbol;
  /** The occurrence under the cursor. */
  reference: Reference;
}

/**
 * The name occurrence at `offset`: one whose span contains it, or ends right at it (a cursor just after a name,
 * as when the user has just typed it). Undefined when the cursor is not on a resolved name.
 */
export function symbolAt(doc: IdeDocument, offset: number): SymbolAt | undefined {
  const reference = referenceAt(doc.analysis, offset);
  return reference ? { symbol: reference.symbol, reference } : undefined;
}

/** The spans where a symbol is declared (every producing `out` for an artifact). */
export function declarationSpans(symbol: Symbol): Span[] {
  if (symbol.kind === 'artifact') return symbol.decls.map((d) => d.decl.name.span);
  return [symbol.nameSpan];
}
