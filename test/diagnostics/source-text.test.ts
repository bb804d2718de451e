import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { decodeSource } from '../../diagnostics/source-text.ts';

test('valid UTF-8 (a BOM, astral characters) decodes as is, without diagnostics', () => {
  const text = '\uFEFFflow F { // café 😀\n}\n';
  assert.equal(decodeSource(Buffer.from(text, 'utf8')), { text, diagnostics: [] });
});

test('each bad sequence is an invalid-utf8 error at its byte offset, pointing at its U+FFFD', () => {
  const bytes = Buffer.concat([Buffer.from('a "caf'), Buffer.from([0xe9]), Buffer.from('" 😀 '), Buffer.from([0xf0, 0x9f, 0x98]), Buffer.from(' x')]);
  const { text, diagnostics } = decodeSource(bytes);
  assert.is(text, bytes.toString('utf8'));
  assert.equal(diagnostics.map((d) => [d.code, d.severity, d.data?.byteOffset, text.slice(d.start, d.end)]), [
    ['invalid-utf8', 'error', 6, '\uFFFD'],
    ['invalid-utf8', 'error', 14, '\uFFFD'],
  ]);
  assert.match(diagnostics[0].message, /byte 0xE9 at byte offset 6 is not a UTF-8 character/);
  assert.match(diagnostics[1].message, /bytes 0xF0 0x9F 0x98 at byte offset 14 are not a UTF-8 character/);
});

test('on any bytes, the text is the standard decoding and every error span is one of its U+FFFD', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 64 }), (raw) => {
      const bytes = Buffer.from(raw);
      const { text, diagnostics } = decodeSource(bytes);
      assert.is(text, new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes));
      let valid = true;
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      } catch {
        valid = false;
      }
      assert.is(diagnostics.length === 0, valid);
      for (const d of diagnostics) assert.is(text.slice(d.start, d.end), '\uFFFD');
    }),
    { numRuns: 2000 },
  );
});

test('past ten bad sequences, the tenth counts the rest', () => {
  const { diagnostics } = decodeSource(Buffer.from(new Array(25).fill(0xff)));
  assert.is(diagnostics.length, 10);
  assert.match(diagnostics[9].message, /15 more invalid sequences follow/);
});

test.run();
