/**
 * One line model (issue 14): `\n`, `\r\n` and a lone `\r` each end a line, in the CLI, the server and the lexer,
 * as in LSP clients. The server's positions must agree with the client's TextDocument on any text, and a file
 * with only `\r` (or `\r\n`) line ends checks, formats and builds like its `\n` twin.
 */
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze } from '../../compiler/analyze.ts';
import { formatText } from '../../compiler/format.ts';
import { lower } from '../../compiler/lower.ts';
import { LineIndex, lineEndAt, lineStartAt } from '../../diagnostics/line-index.ts';
import { renderDiagnostic } from '../../diagnostics/render.ts';
import { buildArgo } from '../../targets/argo/index.ts';
import { repoRoot } from '../helpers/golden.ts';

test('lines end at \\n, \\r\\n and a lone \\r', () => {
  const text = 'a\nb\r\nc\rd';
  const index = new LineIndex(text);
  assert.is(index.lineCount, 4);
  assert.equal([0, 1, 2, 3].map((l) => index.lineText(l)), ['a', 'b', 'c', 'd']);
  assert.equal(index.position(text.indexOf('d')), { line: 3, character: 0 });
  assert.is(index.offset({ line: 2, character: 5 }), text.indexOf('c') + 1);
  assert.is(lineStartAt(text, text.indexOf('d')), text.indexOf('d'));
  assert.is(lineEndAt(text, text.indexOf('c')), text.indexOf('c') + 1);
});

test("the server's positions agree with the client's TextDocument on any text", () => {
  const chunk = fc.constantFrom('\n', '\r', '\r\n', 'x', 'yz', ' ', '\t', '😀', '\n\r');
  fc.assert(
    fc.property(fc.array(chunk, { maxLength: 40 }).map((a) => a.join('')), (text) => {
      const ours = new LineIndex(text);
      const theirs = TextDocument.create('file:///t.flow', 'flow', 1, text);
      assert.is(ours.lineCount, theirs.lineCount, JSON.stringify(text));
      for (let off = 0; off <= text.length; off++) {
        // Inside a \r\n pair the client puts the offset at the end of the line; so do we (the pair is one break).
        assert.equal(ours.position(off), theirs.positionAt(off), `${JSON.stringify(text)} @${off}`);
        assert.is(ours.offset(theirs.positionAt(off)), theirs.offsetAt(theirs.positionAt(off)), `${JSON.stringify(text)} @${off}`);
      }
    }),
    { numRuns: 500 },
  );
});

const samples = readdirSync(join(repoRoot, 'samples'))
  .filter((f) => f.endsWith('.flow'))
  .map((f) => ({ name: f, text: readFileSync(join(repoRoot, 'samples', f), 'utf8') }));

/** What a check shows a person: each diagnostic rendered with its line and column. */
const rendered = (text: string) => {
  const index = new LineIndex(text);
  return analyze(text, { file: 'f.flow' }).diagnostics.map((d) => renderDiagnostic(d, text, { file: 'f.flow' }, index));
};

test('a file with only \\r (or \\r\\n) line ends checks, formats and builds like its \\n twin', () => {
  const broken = '// a comment first\nflow F {\n  step start {\n    out x: int\n    python "x = 1"\n    next ed\n  }\n  step end {}\n}\n';
  for (const { name, text } of [...samples, { name: 'broken', text: broken }]) {
    const expected = rendered(text);
    for (const br of ['\r', '\r\n']) {
      const twin = text.replace(/\n/g, br);
      assert.equal(rendered(twin), expected, `${name} with ${JSON.stringify(br)}`);
      assert.is(formatText(twin).text, formatText(text).text, `${name} formatted`);
      // The IR keeps source offsets, which \r\n shifts; a lone \r keeps them, so its build is byte-identical.
      if (br !== '\r' || analyze(twin, { file: 'f.flow' }).diagnostics.some((d) => d.severity === 'error')) continue;
      const build = (t: string) => lower(analyze(t, { file: 'f.flow' })).map((ir) => buildArgo(ir, { config: {}, sourceFile: 'f.flow' }).stdout);
      assert.equal(build(twin), build(text), `${name} built`);
    }
  }
  assert.ok(rendered(broken.replace(/\n/g, '\r')).some((d) => d.includes('unknown-step')));
});

test.run();
