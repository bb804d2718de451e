/**
 * Go to definition: a step's declaration from `next`, `from` or a switch case; an artifact's producers (every
 * step with an `out` of that name) from an `in`, a switch subject or a `{{in.x}}` template; a parameter's
 * `param`; a record type's `type`; a record field; a foreach element's `foreach NAME`.
 */
import type { IdeDocument } from './document.ts';
import { declarationSpans, symbolAt } from './symbol-at.ts';
import type { Span } from './types.ts';

export function getDefinition(doc: IdeDocument, offset: number): Span[] {
  const at = symbolAt(doc, offset);
  return at ? declarationSpans(at.symbol) : [];
}

/** Type definition: the record type of the artifact, parameter or field under the cursor. */
export function getTypeDefinition(doc: IdeDocument, offset: number): Span[] {
  const at = symbolAt(doc, offset);
  if (!at) return [];
  const s = at.symbol;
  const types = s.kind === 'artifact' ? s.decls.map((d) => d.type) : s.kind === 'param' || s.kind === 'field' || s.kind === 'item' ? [s.type] : [];
  const spans: Span[] = [];
  for (let t of types) {
    while (t.kind === 'list' || t.kind === 'map' || t.kind === 'optional') t = t.kind === 'list' ? t.element : t.kind === 'map' ? t.value : t.inner;
    if (t.kind === 'record') {
      const rec = doc.analysis.types.get(t.name);
      if (rec && !spans.some((sp) => sp.start === rec.nameSpan.start)) spans.push(rec.nameSpan);
    }
  }
  if (s.kind === 'type') spans.push(s.nameSpan);
  return spans;
}
