/**
 * Formatter tests: golden cases (`test/cases/format/*.flow` → `test/baselines/format/*.flow`), the samples as
 * fixed points, and property tests: formatting is idempotent, keeps the AST and every comment, and parsing
 * never throws, on the samples, on generated layouts of them and on random mutations.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { formatText } from '../../compiler/format.ts';
import { parse } from '../../grammar/parse.ts';
import { lex } from '../../grammar/lexer.ts';
import { assertGolden, caseFiles, repoRoot } from '../helpers/golden.ts';
import { stripPositions } from '../grammar/dump.ts';

const samplesDir = join(repoRoot, 'samples');
const samples = readdirSync(samplesDir)
  .filter((f) => f.endsWith('.flow'))
  .sort()
  .map((f) => ({ name: f, text: readFileSync(join(samplesDir, f), 'utf8') }));

/** The AST without positions and comments: what formatting must not change. */
function shape(text: string): unknown {
  const { file } = parse(text);
  return stripPositions({ types: file.types, flows: file.flows });
}
const commentTexts = (text: string) =>
  parse(text)
    .file.comments.map((c) => c.text.replace(/\r/g, ''))
    .map((t) => t.split('\n').map((l) => l.trim()).join('\n'));

/** The formatter's contract on one input that parses cleanly. */
function checkFormatted(input: string): string {
  const first = formatText(input);
  assert.equal(first.diagnostics, [], 'a clean input must format');
  assert.equal(parse(first.text).diagnostics, [], `the output must parse:\n${first.text}`);
  assert.equal(shape(first.text), shape(input), 'formatting changed the AST');
  assert.equal(commentTexts(first.text), commentTexts(input), 'formatting lost or changed a comment');
  assert.fixture(formatText(first.text).text, first.text);
  return first.text;
}

for (const c of caseFiles('cases/format')) {
  test(`format ${c.name}`, () => {
    if (c.name.startsWith('broken')) {
      const res = formatText(c.text);
      assert.is(res.text, c.text, 'a broken file is returned unchanged');
      assert.ok(res.diagnostics.length > 0);
      assertGolden(`baselines/format/${c.name}.flow`, res.text);
      return;
    }
    assertGolden(`baselines/format/${c.name}.flow`, checkFormatted(c.text));
  });
}

for (const s of samples) {
  test(`sample ${s.name} is already formatted`, () => {
    assert.fixture(formatText(s.text).text, s.text);
  });
}

test('syntax ok cases keep their AST and comments when formatted', () => {
  for (const c of caseFiles('cases/syntax/ok')) checkFormatted(c.text);
});

test('the formatter fixes indentation, spacing and blank lines', () => {
  const out = formatText('flow F{step start{in x:int   next a,b}\n\n\n\nstep a{}\n}').text;
  assert.fixture(out, 'flow F {\n  step start {\n    in x: int\n    next a, b\n  }\n\n  step a {}\n}\n');
});

/** Offsets where whitespace or a comment may be inserted without changing any token: after each token. */
function gaps(text: string): number[] {
  return lex(text).tokens.map((t) => t.endOffset! + 1);
}

const perturbation = fc.array(fc.tuple(fc.nat(), fc.constantFrom(' ', '\n', '\n\n\n', '\t', '  // note\n', ' /* c */ ', '\r\n')), { maxLength: 25 });

test('property: reformatting a re-laid-out sample gives the same AST and is idempotent', () => {
  fc.assert(
    fc.property(fc.constantFrom(...samples), perturbation, (sample, edits) => {
      const offsets = gaps(sample.text);
      const inserts = edits.map(([k, s]) => [offsets[k % offsets.length], s] as const).sort((a, b) => b[0] - a[0]);
      let text = sample.text;
      for (const [at, s] of inserts) text = text.slice(0, at) + s + text.slice(at);
      const out = checkFormatted(text);
      assert.equal(shape(out), shape(sample.text));
    }),
    { numRuns: 60 },
  );
});

const vocabulary = ['{', '}', '(', ')', '[', ']', ',', ':', '@', '->', '"', '"""', 'step', 'flow', 'next', 'in', 'out', 'switch', 'foreach', 'x', '1', '5m', '3Gb', '\\q', '/*', '//', '\n', '#', '\u0000', '\uFEFF'];
const mutation = fc.array(
  fc.oneof(
    fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), piece: fc.constantFrom(...vocabulary) }),
    fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 12 }) }),
  ),
  { minLength: 1, maxLength: 6 },
);

test('property: parse never throws on mutated samples, and what parses formats stably', () => {
  fc.assert(
    fc.property(fc.constantFrom(...samples), mutation, (sample, edits) => {
      let text = sample.text;
      for (const e of edits) {
        const at = e.at % (text.length + 1);
        text = e.kind === 'insert' ? text.slice(0, at) + e.piece + text.slice(at) : text.slice(0, at) + text.slice(at + e.length);
      }
      const res = parse(text);
      for (const d of res.diagnostics) assert.ok(d.start >= 0 && d.start <= d.end && d.end <= text.length, JSON.stringify(d));
      const formatted = formatText(text);
      if (res.diagnostics.length > 0) assert.is(formatted.text, text);
      else checkFormatted(text);
    }),
    { numRuns: 120 },
  );
});

test('property: parse never throws on arbitrary text', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
      const res = parse(text);
      assert.is(res.file.kind, 'File');
      formatText(text);
    }),
    { numRuns: 120 },
  );
});

test.run();
