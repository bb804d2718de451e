import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { renderBaseline, renderDiagnostic } from '../../diagnostics/render.ts';

const diag = (start: number, end: number) => ({ code: 'unknown-step' as const, severity: 'error' as const, message: "Unknown step 'x'.", start, end });

test('a diagnostic prints file:line:col, the source line and a caret under the span', () => {
  const text = 'flow F {\n  step start { next x }\n}\n';
  const start = text.indexOf('x }');
  assert.is(
    renderDiagnostic(diag(start, start + 1), text, { file: 'a.flow' }),
    "a.flow:2:21: error[unknown-step]: Unknown step 'x'.\n  2 |   step start { next x }\n    |                     ^",
  );
});

test('a huge line is cut around the caret, so output stays small', () => {
  const text = 'a'.repeat(1_000_000) + 'XYZ' + 'b'.repeat(1_000_000);
  const out = renderDiagnostic(diag(1_000_000, 1_000_003), text, { file: 'big.flow' });
  assert.ok(out.length < 600, `output is ${out.length} characters`);
  const [, source, caret] = out.split('\n');
  assert.is(source.indexOf('XYZ'), caret.indexOf('^^^'));
  assert.ok(source.startsWith('  1 | ...') && source.endsWith('...'));
});

test('colour codes appear only when asked for', () => {
  assert.not.match(renderDiagnostic(diag(0, 1), 'x', { file: 'f' }), /\u001b\[/);
  assert.match(renderDiagnostic(diag(0, 1), 'x', { file: 'f', color: true }), /\u001b\[31m/);
});

test('the baseline form underlines each span below its line', () => {
  assert.is(renderBaseline([diag(5, 8)], 'next foo\nend'), "next foo\n     ~~~\n!!! error[unknown-step]: Unknown step 'x'.\nend\n");
});

test.run();
