/**
 * Diagnostics for the editor: exactly what `flowc check` reports for the file (same codes, messages and spans).
 * Diagnostics that point into another file (`flowc.yaml`) are returned separately, grouped by file.
 * Over the editor's size limits (see `document.ts`), only syntax diagnostics (or none) and one note saying so.
 */
import type { Diagnostic } from '../../diagnostics/types.ts';
import { diagnostic } from '../../diagnostics/report.ts';
import type { IdeDocument } from './document.ts';

export interface DocumentDiagnostics {
  /** Diagnostics in the document itself, sorted by position. */
  own: Diagnostic[];
  /** Diagnostics in other files (by the `file` they name), e.g. problems of the `flowc.yaml` the flow uses. */
  other: Map<string, Diagnostic[]>;
}

export function getDiagnostics(doc: IdeDocument): DocumentDiagnostics {
  const own: Diagnostic[] = [];
  const other = new Map<string, Diagnostic[]>();
  for (const d of doc.analysis.diagnostics) {
    if (d.file) {
      const list = other.get(d.file) ?? [];
      list.push(d);
      other.set(d.file, list);
    } else own.push(d);
  }
  if (doc.tooLarge) {
    const size = (doc.text.length / 1e6).toFixed(1);
    own.push(diagnostic('editor-file-too-large', { start: 0, end: 0 }, `The file is too large to ${doc.tooLarge === 'parse' ? 'check' : 'check fully'} in the editor (${size} MB); run 'flowc check' on it.`));
  }
  return { own, other };
}
