/**
 * Source bytes to text: `.flow` files are UTF-8. Invalid UTF-8 anywhere is an `invalid-utf8` error naming the byte
 * offset of each bad sequence (the first few), instead of a silent U+FFFD that would land in a manifest.
 * The text is the WHATWG decoding (each bad sequence becomes one U+FFFD, a BOM is kept), so the error spans point
 * at those characters. Pure: the CLI and the language server read the bytes.
 */
import { diagnostic } from './report.ts';
import type { Diagnostic } from './types.ts';

export interface SourceText {
  text: string;
  diagnostics: Diagnostic[];
}

/** At most this many bad sequences get a diagnostic each; the last one counts the rest. */
const MAX_REPORTED = 10;

const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lenient = new TextDecoder('utf-8', { ignoreBOM: true });

export function decodeSource(bytes: Uint8Array): SourceText {
  try {
    return { text: strict.decode(bytes), diagnostics: [] };
  } catch {
    // Fall through: find where.
  }
  const text = lenient.decode(bytes);
  const bad: { byte: number; length: number; offset: number }[] = [];
  let offset = 0; // UTF-16 offset in `text` of the character starting at byte i
  for (let i = 0; i < bytes.length; ) {
    const lead = bytes[i];
    if (lead < 0x80) {
      i++;
      offset++;
      continue;
    }
    const [need, lo, hi] = lead >= 0xc2 && lead <= 0xdf ? [1, 0x80, 0xbf] : lead >= 0xe0 && lead <= 0xef ? [2, lead === 0xe0 ? 0xa0 : 0x80, lead === 0xed ? 0x9f : 0xbf] : lead >= 0xf0 && lead <= 0xf4 ? [3, lead === 0xf0 ? 0x90 : 0x80, lead === 0xf4 ? 0x8f : 0xbf] : [0, 0, 0];
    // The longest valid prefix of a sequence is replaced by one U+FFFD (the "maximal subpart" rule).
    let k = 1;
    while (k <= need) {
      const b = bytes[i + k];
      if (b === undefined || b < (k === 1 ? lo : 0x80) || b > (k === 1 ? hi : 0xbf)) break;
      k++;
    }
    if (need > 0 && k > need) {
      i += k;
      offset += need === 3 ? 2 : 1;
      continue;
    }
    bad.push({ byte: i, length: k, offset });
    i += k;
    offset++;
  }
  const hex = (from: number, n: number) => [...bytes.subarray(from, from + n)].map((b) => `0x${b.toString(16).toUpperCase().padStart(2, '0')}`).join(' ');
  const diagnostics = bad.slice(0, MAX_REPORTED).map((b, n) => {
    const more = n === MAX_REPORTED - 1 && bad.length > MAX_REPORTED ? ` (${bad.length - MAX_REPORTED} more invalid sequences follow)` : '';
    return diagnostic('invalid-utf8', { start: b.offset, end: b.offset + 1 }, `The file is not valid UTF-8: ${b.length === 1 ? 'byte' : 'bytes'} ${hex(b.byte, b.length)} at byte offset ${b.byte} ${b.length === 1 ? 'is' : 'are'} not a UTF-8 character${more}. Save the file as UTF-8.`, { data: { byteOffset: b.byte } });
  });
  return { text, diagnostics };
}
