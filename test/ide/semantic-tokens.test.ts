/** Semantic tokens and folding ranges as data: each token printed as `text:type[.modifier]`. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { getFoldingRanges } from '../../compiler/ide/get-folding-ranges.ts';
import { getSemanticTokens } from '../../compiler/ide/get-semantic-tokens.ts';
import { fixture } from './fixture.ts';

function check(input: string, expected: string[]) {
  const f = fixture(input);
  const seen = getSemanticTokens(f.doc).map((t) => `${f.text.slice(t.start, t.start + t.length)}:${[t.type, ...t.modifiers].join('.')}`);
  assert.equal(seen, expected);
}

test('names by role, templates included', () =>
  check(
    `type S { n: int }
@schedule(daily)
flow F {
  param limit: int = 3
  step start { out join: S
    next join }
  @retry(times: 2)
  step join { in join: S
    in limit: int
    run "echo {{in.join}} {{param.limit}}"
    next end }
  step end {}
}`,
    [
      'S:class.declaration',
      'n:property.declaration',
      'int:type.defaultLibrary',
      '@schedule:decorator',
      'daily:enumMember',
      'F:class.declaration',
      'limit:parameter.declaration.readonly',
      'int:type.defaultLibrary',
      'start:function.declaration',
      'join:variable.declaration',
      'S:class',
      'join:function',
      '@retry:decorator',
      'times:property',
      'join:function.declaration',
      'join:variable',
      'S:class',
      'limit:parameter.readonly',
      'int:type.defaultLibrary',
      'join:variable',
      'limit:parameter.readonly',
      'end:function',
      'end:function.declaration',
    ],
  ));

test('folding: blocks, scripts, comment runs and regions', () => {
  const f = fixture(`// one
// two
flow F {
  // #region steps
  step start {
    python """
      x = 1
    """
    next end
  }
  // #endregion
  step end {}
}`);
  const folds = getFoldingRanges(f.doc).map((r) => `${f.doc.lines.position(r.start).line}-${f.doc.lines.position(r.end).line}${r.kind ? ` ${r.kind}` : ''}`);
  assert.equal(folds, ['0-1 comment', '2-12', '3-10 region', '4-9', '5-7']);
});

test.run();
