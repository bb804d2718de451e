/**
 * Diagnostics of the Batch target: a code from `diagnostics/catalog/batch.ts`, a span in the flow's source
 * (taken from the IR), and a full-sentence message. The severity always comes from the catalogue.
 */
import { lookupCode } from '../../diagnostics/catalog.ts';
import type { Diagnostic, Span } from '../../diagnostics/types.ts';

export type Report = (code: string, span: Span, message: string, data?: Record<string, unknown>) => void;

/** A collector: `report` appends to `diagnostics` in call order (the visitor's order, so output is stable). */
export function createReporter(): { diagnostics: Diagnostic[]; report: Report } {
  const diagnostics: Diagnostic[] = [];
  const report: Report = (code, span, message, data) => {
    const entry = lookupCode(code);
    if (!entry) throw new Error(`Unknown diagnostic code '${code}'.`);
    diagnostics.push({ code, severity: entry.severity, message, start: span.start, end: span.end, ...(data ? { data } : {}) });
  };
  return { diagnostics, report };
}
