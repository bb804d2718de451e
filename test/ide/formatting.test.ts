/** Formatting: the editor's edit turns the text into exactly what `flowc fmt` writes, touching only what changed. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { formatText } from '../../compiler/format.ts';
import { getFormatting, minimalEdit } from '../../compiler/ide/get-formatting.ts';
import { applyEdits, fixture } from './fixture.ts';

function check(input: string) {
  const f = fixture(input);
  const edits = getFormatting(f.doc);
  assert.fixture(applyEdits(f.text, edits), formatText(f.text).text);
  return edits;
}

test('formats like flowc fmt', () => {
  const edits = check('flow F {\nimage "x"\n    step start { next end }\nstep end {}\n}\n');
  assert.is(edits.length, 1);
});
test('an already formatted file gives no edit', () => {
  const formatted = formatText('flow F {\n  step start { next end }\n  step end {}\n}\n').text;
  assert.equal(check(formatted), []);
});
test('a file with syntax errors is left alone', () => assert.equal(check('flow F {\n  step start { next \n'), []));
test('the edit covers only the changed middle', () => {
  assert.equal(minimalEdit('abcXYZdef', 'abcQdef'), { start: 3, end: 6, newText: 'Q' });
  assert.equal(minimalEdit('same', 'same'), { start: 4, end: 4, newText: '' });
});

test.run();
