/** The `text` report of `flowc check`: each diagnostic with its source line and caret, then a summary line. */
import { LineIndex } from '../diagnostics/line-index.ts';
import { compareDiagnostics, renderDiagnostic } from '../diagnostics/render.ts';
import type { FileReport } from './load-flow.ts';

export function useColor(env: Record<string, string | undefined>, isTTY: boolean): boolean {
  return isTTY && env.NO_COLOR === undefined && env.TERM !== 'dumb';
}

export function countBySeverity(reports: FileReport[]): { errors: number; warnings: number } {
  let errors = 0;
  let warnings = 0;
  for (const r of reports) for (const d of r.diagnostics) d.severity === 'error' ? errors++ : d.severity === 'warning' && warnings++;
  return { errors, warnings };
}

export function renderTextReport(reports: FileReport[], opts: { color: boolean }): string {
  const parts: string[] = [];
  for (const r of reports) {
    if (r.diagnostics.length === 0) continue;
    const index = new LineIndex(r.text);
    for (const d of [...r.diagnostics].sort(compareDiagnostics)) parts.push(renderDiagnostic(d, r.text, { file: r.file, color: opts.color }, index));
  }
  return parts.length ? parts.join('\n\n') + '\n' : '';
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function summaryLine(reports: FileReport[], nFiles: number): string {
  const { errors, warnings } = countBySeverity(reports);
  if (errors === 0 && warnings === 0) return `Checked ${plural(nFiles, 'file')}: no problems.\n`;
  return `Checked ${plural(nFiles, 'file')}: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}.\n`;
}
