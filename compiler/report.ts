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

/** The closest candidate by edit distance (at most a third of the name's length, at least 1), or undefined. */
export function suggest(name: string, candidates: Iterable<string>): string | undefined {
  if (!name) return undefined;
  const lower = name.toLowerCase();
  const max = Math.max(1, Math.floor(name.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    if (c === name || !c) continue;
    const d = c.toLowerCase() === lower ? 0 : distance(lower, c.toLowerCase(), max);
    if (d <= max && d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

/** Sentence tail for a suggestion: " Did you mean 'x'?" or "". */
export const didYouMean = (suggestion: string | undefined): string => (suggestion ? ` Did you mean '${suggestion}'?` : '');

/** Levenshtein distance with transpositions counted as one edit, giving up above `max`. */
function distance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    rows.push(new Array<number>(b.length + 1).fill(0));
    rows[i][0] = i;
  }
  for (let j = 0; j <= b.length; j++) rows[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, rows[i - 2][j - 2] + 1);
      rows[i][j] = v;
    }
  }
  return rows[a.length][b.length];
}
