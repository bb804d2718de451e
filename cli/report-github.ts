/**
 * The `github` report of `flowc check`: one GitHub Actions workflow command per diagnostic, which the runner
 * turns into an annotation on the changed line of a pull request:
 *
 *     ::error file=flows/a.flow,line=3,col=5,endLine=3,endColumn=9,title=unknown-step::Step 'start' ...
 *
 * Severities map to `error`, `warning` and `notice`. Related locations are appended to the message as
 * `note:` lines, because an annotation has one location. The closing summary is a plain log line.
 *
 * Escaping follows the runner's rules: in the message `%`, `\r` and `\n` become `%25`, `%0D`, `%0A`;
 * in property values `:` and `,` also become `%3A` and `%2C`, so a file name or code can never end a property
 * early or start the message. Columns are 1-based and `endColumn` is inclusive (the last character of the span).
 */
import { LineIndex } from '../diagnostics/line-index.ts';
import { compareDiagnostics } from '../diagnostics/render.ts';
import type { Diagnostic, Severity } from '../diagnostics/types.ts';
import type { FileReport } from './load-flow.ts';
import { summaryLine } from './report-text.ts';
import type { ReportContext } from './reporters.ts';

const commandOf: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice' };

/** Escapes the message part of a workflow command. */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes a property value of a workflow command (`file=`, `title=`, ...). */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/**
 * The 1-based range GitHub expects: start inclusive, end inclusive (the span's last character).
 * An empty span marks the one character at its start.
 */
function annotationRange(index: LineIndex, d: { start: number; end: number }) {
  const s = index.position(d.start);
  const e = index.position(Math.max(d.start, d.end - 1));
  return { line: s.line + 1, col: s.character + 1, endLine: e.line + 1, endColumn: e.character + 1 };
}

function annotation(file: string, index: LineIndex, d: Diagnostic): string {
  const r = annotationRange(index, d);
  const props = [`file=${escapeProperty(file)}`, `line=${r.line}`, `col=${r.col}`, `endLine=${r.endLine}`, `endColumn=${r.endColumn}`, `title=${escapeProperty(d.code)}`];
  let message = d.message;
  for (const rel of d.related ?? []) {
    const p = index.position(rel.start);
    // A related location in another file has offsets into that file, which we do not hold here: name the file only.
    const where = rel.file && rel.file !== file ? rel.file : `${file}:${p.line + 1}:${p.character + 1}`;
    message += `\nnote: ${where}: ${rel.message}`;
  }
  return `::${commandOf[d.severity]} ${props.join(',')}::${escapeData(message)}`;
}

export function renderGithubReport(reports: FileReport[], ctx: ReportContext): string {
  const lines: string[] = [];
  for (const r of reports) {
    if (r.diagnostics.length === 0) continue;
    const index = new LineIndex(r.text);
    for (const d of [...r.diagnostics].sort(compareDiagnostics)) lines.push(annotation(r.file, index, d));
  }
  return (lines.length ? lines.join('\n') + '\n' : '') + summaryLine(reports, ctx.nFiles);
}
