import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { analyze } from '../../compiler/analyze.ts';
import { boundedDistance, closeMatches, MAX_EDITS, suggest } from '../../diagnostics/suggest.ts';

/** The textbook full-matrix optimal string alignment distance, as the reference. */
function reference(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

test('the bounded distance equals the full one up to the bound, and says "more" past it', () => {
  const word = fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'd'), maxLength: 12 });
  fc.assert(
    fc.property(word, word, fc.integer({ min: 0, max: 6 }), (a, b, max) => {
      const full = reference(a, b);
      const got = boundedDistance(a, b, max);
      if (full <= max) assert.is(got, full, `${a} / ${b} / ${max}`);
      else assert.is(got, max + 1, `${a} / ${b} / ${max}: full ${full}`);
    }),
    { numRuns: 2000 },
  );
});

test('suggestions: closest first, case-insensitive, a third of the length, never the name itself', () => {
  assert.is(suggest('trian', ['start', 'train', 'end']), 'train');
  assert.is(suggest('TRAIN', ['train']), 'train');
  assert.is(suggest('train', ['train']), undefined);
  assert.is(suggest('ab', ['xy']), undefined);
  assert.is(suggest('type-mistmatch', ['type-mismatch', 'unknown-type']), 'type-mismatch');
  assert.equal(closeMatches('stpe', ['step', 'start', 'steps'], 2), ['step', 'steps']);
});

test('the allowed distance is capped, so a long name is matched only by a near copy', () => {
  const long = 'x'.repeat(60);
  assert.is(suggest(long, ['x'.repeat(60 - MAX_EDITS)]), 'x'.repeat(60 - MAX_EDITS));
  assert.is(suggest(long, ['x'.repeat(60 - MAX_EDITS - 1)]), undefined);
});

test('two 40,000-character names cost a band, not a matrix (issue 14: V8 ran out of memory)', () => {
  const a = 'a'.repeat(40_000);
  const b = 'a'.repeat(39_999) + 'b';
  assert.is(boundedDistance(a, b, MAX_EDITS), 1);
  assert.is(suggest(a, [b, 'start']), b);
  const flow = `flow F {\n  step start { next ${a} }\n  step ${b} { next end }\n  step end {}\n}\n`;
  const codes = analyze(flow, { file: 'long.flow' }).diagnostics.map((d) => d.code);
  assert.ok(codes.includes('unknown-step'), codes.join(', '));
});

test.run();
