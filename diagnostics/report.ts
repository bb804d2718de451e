/**
 * The one way to create a diagnostic, for every phase and target: `report(code, at, message, extra)`.
 * The code is typed by the catalogue (a misspelt code does not compile) and the severity always comes from it.
 */
import { catalog, type Code } from './catalog.ts';
import type { Diagnostic, Fix, RelatedInfo, Span } from './types.ts';

export interface ReportExtra {
  related?: RelatedInfo[];
  fixes?: Fix[];
  data?: Record<string, unknown>;
}

export type Report = (code: Code, at: Span, message: string, extra?: ReportExtra) => void;

/** The diagnostic for `code` at `at`, with its severity from the catalogue. */
export function diagnostic(code: Code, at: Span, message: string, extra?: ReportExtra): Diagnostic {
  const d: Diagnostic = { code, severity: catalog[code].severity, message, start: at.start, end: Math.max(at.start, at.end) };
  if (extra?.related && extra.related.length > 0) d.related = extra.related;
  if (extra?.fixes && extra.fixes.length > 0) d.fixes = extra.fixes;
  if (extra?.data) d.data = extra.data;
  return d;
}

/** A reporter appending to `out` in call order; `file` marks diagnostics in another file (e.g. `flowc.yaml`). */
export function createReporter(out: Diagnostic[], file?: string): Report {
  return (code, at, message, extra) => {
    const d = diagnostic(code, at, message, extra);
    if (file !== undefined) d.file = file;
    out.push(d);
  };
}
