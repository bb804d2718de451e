/**
 * The diagnostic shape shared by every phase.
 *
 * Invariant: offsets are UTF-16 code-unit offsets into the analysed text (what JavaScript strings index);
 * line and column are computed only when printing (CLI: 1-based; LSP: 0-based).
 * Invariant: `message` is a full sentence with names quoted, e.g. "Step 'train' reads unknown artifact 'feats'.".
 */
import type { Code } from './catalog.ts';

export type Severity = 'error' | 'warning' | 'info';

export interface Span {
  /** Offset of the first code unit. */
  start: number;
  /** Offset one past the last code unit. */
  end: number;
}

export interface RelatedInfo extends Span {
  message: string;
  /** Set when the related location is in another file than the diagnostic (e.g. flowc.yaml). */
  file?: string;
}

/** A machine-applicable edit offered with a diagnostic (quick fix, `--format json` fixes). */
export interface Fix {
  title: string;
  edits: { start: number; end: number; newText: string }[];
}

export interface Diagnostic extends Span {
  /** Stable kebab-case id from the catalogue, e.g. `unknown-step`. */
  code: Code;
  severity: Severity;
  message: string;
  /** The file the offsets refer to, when it is not the file being analysed (e.g. `flowc.yaml`). */
  file?: string;
  related?: RelatedInfo[];
  fixes?: Fix[];
  /** Extra structured data for editor features (e.g. the suggested name). */
  data?: Record<string, unknown>;
}

export function isError(d: Diagnostic): boolean {
  return d.severity === 'error';
}
