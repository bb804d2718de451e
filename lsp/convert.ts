/**
 * Conversions between the core's offsets and LSP's 0-based line/character positions (UTF-16, the LSP default),
 * and between core data and LSP types. Every handler converts through here and nowhere else.
 */
import { DiagnosticSeverity, DiagnosticTag, type Diagnostic as LspDiagnostic, type Position, type Range, type TextEdit } from 'vscode-languageserver/node';
import type { LineIndex } from '../diagnostics/line-index.ts';
import type { Diagnostic, Span } from '../diagnostics/types.ts';

export function toRange(lines: LineIndex, span: Span): Range {
  return { start: lines.position(span.start), end: lines.position(Math.max(span.start, span.end)) };
}

export function toOffset(lines: LineIndex, pos: Position): number {
  return lines.offset(pos);
}

export function toTextEdit(lines: LineIndex, edit: { start: number; end: number; newText: string }): TextEdit {
  return { range: toRange(lines, edit), newText: edit.newText };
}

const severities = { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, info: DiagnosticSeverity.Information } as const;

/** Codes whose diagnostics mark code as unused (shown faded by editors). */
const unnecessaryCodes = new Set(['unused-param', 'unused-artifact', 'unused-input']);

export function toLspDiagnostic(lines: LineIndex, d: Diagnostic, uri: string, otherUri?: (file: string) => string | undefined): LspDiagnostic {
  const res: LspDiagnostic = {
    range: toRange(lines, d),
    severity: severities[d.severity] ?? DiagnosticSeverity.Error,
    code: d.code,
    source: 'flowc',
    message: d.message,
  };
  if (unnecessaryCodes.has(d.code)) res.tags = [DiagnosticTag.Unnecessary];
  const related = (d.related ?? []).filter((r) => !r.file || otherUri?.(r.file));
  if (related.length > 0) {
    res.relatedInformation = related.map((r) => ({
      location: { uri: r.file ? otherUri!(r.file)! : uri, range: r.file ? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } : toRange(lines, r) },
      message: r.message,
    }));
  }
  // Kept so code actions can find the core diagnostic again (fixes, suggested names).
  res.data = { start: d.start, end: d.end, code: d.code };
  return res;
}
