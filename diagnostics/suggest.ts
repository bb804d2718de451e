/**
 * "Did you mean": the one edit distance every suggestion goes through (compiler checks, the parser's keyword
 * recovery, `flowc explain`, `flowc get`).
 *
 * The distance is bounded: it is computed only within a band of `max` cells either side of the diagonal, and a
 * candidate whose length differs from the name's by more than `max` is skipped without computing anything. The
 * allowed distance is capped (`MAX_EDITS`), so each candidate costs time linear in the name's length and memory
 * linear in the shorter string: two 40,000-character names cost a few hundred thousand steps, not 1.6 billion.
 */

/** No suggestion is further than this many edits from the name, however long the name is. */
export const MAX_EDITS = 4;

/**
 * Optimal string alignment distance (Levenshtein with an adjacent transposition counted as one edit) between
 * `a` and `b`, or `max + 1` as soon as it is known to exceed `max`. Time O(min(|a|,|b|) * max), memory O(max).
 */
export function boundedDistance(a: string, b: string, max: number): number {
  if (a === b) return 0;
  if (a.length > b.length) [a, b] = [b, a];
  const n = a.length;
  const m = b.length;
  if (m - n > max) return max + 1;
  if (n === 0) return m;
  // Row i holds cells j in [i - max, i + max]; index k = j - i + max. Three rows for the transposition.
  const width = 2 * max + 1;
  const big = max + 1;
  let prev2 = new Array<number>(width).fill(big);
  let prev = new Array<number>(width).fill(big);
  let cur = new Array<number>(width).fill(big);
  for (let j = 0; j <= Math.min(m, max); j++) prev[j + max] = j; // row 0: cell j at k = j + max
  for (let i = 1; i <= n; i++) {
    cur.fill(big);
    let rowMin = big;
    const lo = Math.max(0, i - max);
    const hi = Math.min(m, i + max);
    for (let j = lo; j <= hi; j++) {
      const k = j - i + max;
      let v: number;
      if (j === 0) v = i;
      else {
        const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
        // (i-1, j-1) is at the same k in the previous row; (i-1, j) at k+1; (i, j-1) at k-1.
        v = prev[k] + cost;
        if (k + 1 < width && prev[k + 1] + 1 < v) v = prev[k + 1] + 1;
        if (k - 1 >= 0 && cur[k - 1] + 1 < v) v = cur[k - 1] + 1;
        // (i-2, j-2) is at the same k two rows up.
        if (i > 1 && j > 1 && a.charCodeAt(i - 1) === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1) && prev2[k] + 1 < v) v = prev2[k] + 1;
      }
      if (v > big) v = big;
      cur[k] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return big;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  const k = m - n + max;
  return Math.min(prev[k], big);
}

/** The edits a suggestion for `name` may be away: a third of its length, at least 1, at most `MAX_EDITS`. */
function allowedEdits(name: string): number {
  return Math.min(MAX_EDITS, Math.max(1, Math.floor(name.length / 3)));
}

/**
 * The closest candidate to `name` (case-insensitive) within `allowedEdits(name)` (or `max`), or undefined.
 * Ties go to the earliest candidate; `name` itself is never suggested.
 */
export function suggest(name: string, candidates: Iterable<string>, max = allowedEdits(name)): string | undefined {
  if (!name) return undefined;
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestDistance = max + 1;
  for (const c of candidates) {
    if (c === name || !c || Math.abs(c.length - name.length) > Math.min(max, bestDistance)) continue;
    const d = boundedDistance(lower, c.toLowerCase(), Math.min(max, bestDistance - 1));
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
      if (d === 0) break;
    }
  }
  return best;
}

/** Every candidate within `max` edits of `name`, closest first (ties in candidate order). */
export function closeMatches<T extends string>(name: string, candidates: Iterable<T>, max: number): T[] {
  const close: [number, number, T][] = [];
  let index = 0;
  for (const c of candidates) {
    const d = Math.abs(c.length - name.length) > max ? max + 1 : boundedDistance(name, c, max);
    if (d <= max) close.push([d, index, c]);
    index++;
  }
  return close.sort((x, y) => x[0] - y[0] || x[1] - y[1]).map(([, , c]) => c);
}

/** Sentence tail for a suggestion: " Did you mean 'x'?" or "". */
export const didYouMean = (suggestion: string | undefined): string => (suggestion ? ` Did you mean '${suggestion}'?` : '');
