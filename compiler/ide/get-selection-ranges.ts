/**
 * Expand selection: the syntax around an offset from the innermost out (a name, its member, a decorator, the
 * step, the flow), each span containing the previous one.
 */
import type { Span } from './types.ts';
import type { IdeDocument } from './document.ts';

export function getSelectionRanges(doc: IdeDocument, offset: number): Span[] {
  const chain: Span[] = [];
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
      return;
    }
    const n = node as { kind?: string; span?: Span };
    if (n.kind && n.span && !(n.span.start <= offset && offset <= n.span.end)) return;
    if (n.kind && n.span && n.kind !== 'Comment') chain.push(n.span);
    for (const [key, value] of Object.entries(node)) if (key !== 'span' && key !== 'offsets' && key !== 'comments' && value && typeof value === 'object') visit(value);
  };
  visit(doc.parsed.file);
  // Outermost first as found; answer innermost first, without repeats.
  const out: Span[] = [];
  for (const s of chain.reverse()) if (!out.some((o) => o.start === s.start && o.end === s.end)) out.push(s);
  return out.sort((a, b) => a.end - a.start - (b.end - b.start));
}
