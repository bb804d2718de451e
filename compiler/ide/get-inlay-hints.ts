/** Inlay hints: the inferred type after an `in x` written without a type. */
import { describeType } from '../ir.ts';
import type { IdeDocument } from './document.ts';
import type { InlayHint, Span } from './types.ts';

export function getInlayHints(doc: IdeDocument, range: Span): InlayHint[] {
  const hints: InlayHint[] = [];
  for (const flow of doc.analysis.flows) {
    for (const step of flow.steps.values()) {
      const span = step.model.decl.span;
      if (span.end < range.start || span.start > range.end) continue;
      for (const input of step.inputs) {
        if (input.decl.type || input.type.kind === 'error') continue;
        const at = input.decl.name.span.end;
        if (at < range.start || at > range.end) continue;
        hints.push({ offset: at, label: `: ${describeType(input.type)}`, kind: 'type', tooltip: 'Inferred from the producing steps.' });
      }
    }
  }
  return hints;
}
