/**
 * Find references and document highlights: every occurrence of the symbol under the cursor, `{{in.x}}`
 * templates included. Declarations (a step's name, each producing `out`, a `param`) are writes; uses are reads.
 */
import type { IdeDocument } from './document.ts';
import { occurrencesOf, symbolAt } from './symbol-at.ts';
import type { Highlight, Span } from './types.ts';

export function getReferences(doc: IdeDocument, offset: number, options: { includeDeclaration: boolean }): Span[] {
  const at = symbolAt(doc, offset);
  if (!at) return [];
  return occurrencesOf(doc, at.symbol)
    .filter((r) => options.includeDeclaration || !r.declaration)
    .map((r) => r.span);
}

export function getDocumentHighlights(doc: IdeDocument, offset: number): Highlight[] {
  const at = symbolAt(doc, offset);
  if (!at) return [];
  return occurrencesOf(doc, at.symbol).map((r) => ({ span: r.span, kind: r.declaration ? 'write' : 'read' }));
}
