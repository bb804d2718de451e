/**
 * Diagnostics for the editor: exactly what `flowc check` reports for the file (same codes, messages and spans).
 * Diagnostics that point into another file (`flowc.yaml`) are returned separately, grouped by file.
 */
import type { Diagnostic } from '../../diagnostics/types.ts';
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
  return { own, other };
}
