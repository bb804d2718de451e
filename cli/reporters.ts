/**
 * Report formats of `flowc check --format`. Each is loaded only when used.
 * `json` is a stable shape (docs/diagnostics.md, "Machine-readable output"): 1-based lines and columns,
 * end exclusive, one object per diagnostic.
 */
import { LineIndex } from '../diagnostics/line-index.ts';
import { compareDiagnostics } from '../diagnostics/render.ts';
import type { FileReport } from './load-flow.ts';
import { renderTextReport, summaryLine } from './report-text.ts';

export interface ReportContext {
  color: boolean;
  nFiles: number;
}
export type Reporter = (reports: FileReport[], ctx: ReportContext) => string;

export const reporters: Record<string, () => Promise<Reporter>> = {
  text: async () => (reports, ctx) => {
    const body = renderTextReport(reports, ctx);
    return body + (body ? '\n' : '') + summaryLine(reports, ctx.nFiles);
  },
  json: async () => renderJson,
  github: async () => (await import('./report-github.ts')).renderGithubReport,
  sarif: async () => (await import('./report-sarif.ts')).renderSarifReport,
};

/** A 1-based range of a span in a file. */
function rangeOf(index: LineIndex, start: number, end: number) {
  const s = index.position(start);
  const e = index.position(end);
  return { line: s.line + 1, column: s.character + 1, endLine: e.line + 1, endColumn: e.character + 1 };
}

function renderJson(reports: FileReport[]): string {
  const diagnostics = [];
  for (const r of reports) {
    const index = new LineIndex(r.text);
    for (const d of [...r.diagnostics].sort(compareDiagnostics)) {
      diagnostics.push({
        file: r.file,
        code: d.code,
        severity: d.severity,
        message: d.message,
        ...rangeOf(index, d.start, d.end),
        related: (d.related ?? []).map((x) => ({ file: x.file ?? r.file, message: x.message, ...rangeOf(index, x.start, x.end) })),
        fixes: (d.fixes ?? []).map((f) => ({ title: f.title, edits: f.edits.map((e) => ({ ...rangeOf(index, e.start, e.end), newText: e.newText })) })),
      });
    }
  }
  return JSON.stringify({ version: 1, diagnostics }, null, 2) + '\n';
}
