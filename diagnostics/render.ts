/**
 * Renders diagnostics as text: `file:line:col: severity[code]: message`, the source line, and a caret
 * underline (what `flowc check` prints), and the "baseline" form used by golden tests, which reprints the
 * whole source with `~~~` under each span and the message below it.
 */
import { LineIndex } from './line-index.ts';
import type { Diagnostic } from './types.ts';

export interface RenderOptions {
  /** The file name printed before each diagnostic. */
  file: string;
  /** ANSI colour (only when printing to a terminal and NO_COLOR is unset). */
  color?: boolean;
}

const ansi = (code: string, on: boolean) => (s: string) => (on ? `\u001b[${code}m${s}\u001b[0m` : s);

/** Sort order used everywhere: by position, then code, so output is deterministic. */
export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return (a.file ?? '').localeCompare(b.file ?? '') || a.start - b.start || a.end - b.end || a.code.localeCompare(b.code) || a.message.localeCompare(b.message);
}

export function renderDiagnostic(d: Diagnostic, text: string, opts: RenderOptions, index = new LineIndex(text)): string {
  const color = opts.color ?? false;
  const bold = ansi('1', color);
  const sevColor = ansi(d.severity === 'error' ? '31' : d.severity === 'warning' ? '33' : '36', color);
  const pos = index.position(d.start);
  const head = `${bold(`${d.file ?? opts.file}:${pos.line + 1}:${pos.character + 1}`)}: ${sevColor(`${d.severity}[${d.code}]`)}: ${d.message}`;
  const lines = [head];
  const fullLine = index.lineText(pos.line);
  const endPos = index.position(Math.max(d.end, d.start));
  const fullWidth = endPos.line === pos.line ? Math.max(1, endPos.character - pos.character) : Math.max(1, fullLine.length - pos.character);
  const excerpt = clipLine(fullLine, pos.character, fullWidth);
  const gutter = String(pos.line + 1);
  lines.push(`  ${gutter} | ${excerpt.text}`);
  lines.push(`  ${' '.repeat(gutter.length)} | ${' '.repeat(excerpt.column)}${sevColor('^'.repeat(excerpt.width))}`);
  for (const r of d.related ?? []) {
    const rp = index.position(r.start);
    lines.push(`  note: ${r.file ?? opts.file}:${rp.line + 1}:${rp.character + 1}: ${r.message}`);
  }
  return lines.join('\n');
}

/** Longest source excerpt printed under a diagnostic; longer lines are cut around the caret. */
const MAX_EXCERPT = 160;

/** The part of a (possibly huge) line shown under a diagnostic, with the caret's column and width inside it. */
function clipLine(line: string, column: number, width: number): { text: string; column: number; width: number } {
  const untabbed = (t: string) => t.replace(/\t/g, ' ');
  if (line.length <= MAX_EXCERPT) return { text: untabbed(line), column, width };
  const start = Math.max(0, Math.min(column - 40, line.length - MAX_EXCERPT));
  const end = Math.min(line.length, start + MAX_EXCERPT);
  const prefix = start > 0 ? '...' : '';
  const suffix = end < line.length ? '...' : '';
  const caretColumn = prefix.length + column - start;
  return { text: prefix + untabbed(line.slice(start, end)) + suffix, column: caretColumn, width: Math.max(1, Math.min(width, end - column)) };
}

/**
 * The golden-file form: every source line, and under each line the diagnostics that start on it:
 * `~~~` under the span (to the line's end when it runs on) and `severity[code]: message` below.
 */
export function renderBaseline(diagnostics: Diagnostic[], text: string): string {
  const index = new LineIndex(text);
  const sorted = [...diagnostics].sort(compareDiagnostics);
  const out: string[] = [];
  for (let line = 0; line < index.lineCount; line++) {
    const lineText = index.lineText(line);
    out.push(lineText);
    for (const d of sorted) {
      if (d.file) continue;
      const p = index.position(d.start);
      if (p.line !== line) continue;
      const e = index.position(d.end);
      const endCol = e.line === line ? e.character : lineText.length;
      out.push(`${' '.repeat(p.character)}${'~'.repeat(Math.max(1, endCol - p.character))}`);
      out.push(`!!! ${d.severity}[${d.code}]: ${d.message}`);
    }
  }
  for (const d of sorted.filter((x) => x.file)) out.push(`!!! ${d.file}: ${d.severity}[${d.code}]: ${d.message}`);
  return out.join('\n') + '\n';
}
