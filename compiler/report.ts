/**
 * Creating diagnostics: severity comes from the catalogue, spans from the node (checks never compute ranges
 * beyond picking a node or a sub-span inside a string).
 */
import { lookupCode } from '../diagnostics/catalog.ts';
import type { Diagnostic, RelatedInfo, Span } from '../diagnostics/types.ts';

export interface ReportExtra {
  related?: RelatedInfo[];
  data?: Record<string, unknown>;
}

export type Report = (code: string, at: Span, message: string, extra?: ReportExtra) => void;

/** A reporter collecting into `out`. Throws on a code missing from the catalogue (a programming error). */
export function createReporter(out: Diagnostic[]): Report {
  return (code, at, message, extra) => {
    const entry = lookupCode(code);
    if (!entry) throw new Error(`Diagnostic code '${code}' is not in the catalogue.`);
    const d: Diagnostic = { code, severity: entry.severity, message, start: at.start, end: Math.max(at.start, at.end) };
    if (extra?.related && extra.related.length > 0) d.related = extra.related;
    if (extra?.data) d.data = extra.data;
    out.push(d);
  };
}
