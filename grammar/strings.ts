/**
 * Decoding of string literals: escapes, and the indentation rules of `"""triple-quoted"""` strings.
 *
 * Every decoded UTF-16 code unit remembers the source offset it came from (`offsets`), so later phases can put
 * a precise span on text inside a string (a `{{in.x}}` template) across escapes and stripped indentation.
 * Invariant: decoding never throws; a bad escape is reported and kept literally.
 */
import type { Diagnostic } from '../diagnostics/types.ts';
import { diagnostic } from '../diagnostics/report.ts';
import { afterLineBreak, isLineBreak } from '../diagnostics/line-index.ts';

export interface DecodedString {
  value: string;
  /** `offsets[i]` is the source offset of `value[i]`; the last entry is the offset just past the content. */
  offsets: number[];
  diagnostics: Diagnostic[];
}

const simpleEscapes: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  '\\': '\\',
  '"': '"',
  "'": "'",
  '0': '\0',
};

const isHex = (c: string) => /^[0-9a-fA-F]$/.test(c);

/**
 * Decodes `text[start, end)` (content without quotes, on one line or a kept segment of a line),
 * appending to `chars` and `offsets`.
 */
function decodeSegment(text: string, start: number, end: number, chars: string[], offsets: number[], diagnostics: Diagnostic[]): void {
  let i = start;
  while (i < end) {
    const c = text[i];
    if (c !== '\\') {
      chars.push(c);
      offsets.push(i);
      i++;
      continue;
    }
    const next = i + 1 < end ? text[i + 1] : '';
    const simple = next ? simpleEscapes[next] : undefined;
    if (simple !== undefined && Object.prototype.hasOwnProperty.call(simpleEscapes, next)) {
      chars.push(simple);
      offsets.push(i);
      i += 2;
      continue;
    }
    if (next === 'u') {
      let code = -1;
      let escEnd = i + 2;
      if (text[i + 2] === '{' && i + 2 < end) {
        let j = i + 3;
        while (j < end && isHex(text[j]) && j - (i + 3) < 8) j++;
        if (j < end && text[j] === '}' && j > i + 3) {
          code = parseInt(text.slice(i + 3, j), 16);
          escEnd = j + 1;
          if (code > 0x10ffff) code = -1;
        } else {
          escEnd = j < end && text[j] === '}' ? j + 1 : j;
        }
      } else {
        let j = i + 2;
        while (j < end && j < i + 6 && isHex(text[j])) j++;
        escEnd = j;
        if (j === i + 6) code = parseInt(text.slice(i + 2, j), 16);
      }
      if (code >= 0) {
        const decoded = String.fromCodePoint(code);
        for (let k = 0; k < decoded.length; k++) {
          chars.push(decoded[k]);
          offsets.push(i);
        }
        i = escEnd;
        continue;
      }
      keepInvalidEscape(i, escEnd, `Invalid Unicode escape \`${text.slice(i, escEnd)}\`: write \`\\uXXXX\` with four hex digits or \`\\u{HEX}\` up to \`10FFFF\`.`);
      i = escEnd;
      continue;
    }
    // An unknown escape (or a backslash at the end): report it and keep the text as written.
    const escEnd = next ? i + 1 + (text.codePointAt(i + 1)! > 0xffff ? 2 : 1) : i + 1;
    keepInvalidEscape(
      i,
      escEnd,
      next
        ? `Invalid escape sequence \`${text.slice(i, escEnd)}\`: the known escapes are \`\\n\`, \`\\t\`, \`\\r\`, \`\\\\\`, \`\\"\`, \`\\'\`, \`\\0\`, \`\\uXXXX\` and \`\\u{HEX}\`.`
        : 'A backslash must be followed by an escape character, for example `\\\\` for a backslash.',
    );
    i = escEnd;
  }

  /** Reports an invalid escape `text[from, to)` and keeps its text as written. */
  function keepInvalidEscape(from: number, to: number, message: string): void {
    diagnostics.push(diagnostic('invalid-escape', { start: from, end: to }, message));
    for (let k = from; k < to; k++) {
      chars.push(text[k]);
      offsets.push(k);
    }
  }
}

/** Decodes the content `text[start, end)` of a `"..."` string. */
export function decodeQuoted(text: string, start: number, end: number): DecodedString {
  const chars: string[] = [];
  const offsets: number[] = [];
  const diagnostics: Diagnostic[] = [];
  decodeSegment(text, start, end, chars, offsets, diagnostics);
  offsets.push(end);
  return { value: chars.join(''), offsets, diagnostics };
}

/** One source line of a triple-quoted string: content `[start, end)`, and `breakAt`, the offset of its line break. */
interface RawLine {
  start: number;
  end: number;
  breakAt: number;
}

const isBlank = (text: string, line: RawLine) => {
  for (let i = line.start; i < line.end; i++) if (text[i] !== ' ' && text[i] !== '\t') return false;
  return true;
};

function leadingWhitespace(text: string, line: RawLine): string {
  let i = line.start;
  while (i < line.end && (text[i] === ' ' || text[i] === '\t')) i++;
  return text.slice(line.start, i);
}

/** Splits `text[start, end)` into lines (at `\n`, `\r\n` or a lone `\r`, as everywhere). */
function splitLines(text: string, start: number, end: number): RawLine[] {
  const lines: RawLine[] = [];
  let lineStart = start;
  for (let i = start; i < end; i++) {
    if (isLineBreak(text.charCodeAt(i))) {
      lines.push({ start: lineStart, end: i, breakAt: i });
      i = Math.min(afterLineBreak(text, i), end) - 1;
      lineStart = i + 1;
    }
  }
  lines.push({ start: lineStart, end, breakAt: end });
  return lines;
}

/** The layout of a triple-quoted string's content, shared by the decoder and the formatter. */
export interface TripleLayout {
  /** The lines that make up the value, in order. */
  lines: { start: number; end: number; breakAt: number }[];
  /** True when the (blank) line after the opening quotes was dropped. */
  droppedFirst: boolean;
  /** True when the (blank) line before the closing quotes was dropped. */
  droppedLast: boolean;
  /** The common indentation removed from every line but a kept first line. */
  indent: string;
}

/**
 * Works out which lines of a `"""` string's content `text[start, end)` are kept and what indentation is removed:
 * a blank first line is dropped, a blank last line is dropped, and the common leading whitespace of the
 * non-blank lines (except a kept first line, which follows the quotes) is removed.
 */
export function tripleLayout(text: string, start: number, end: number): TripleLayout {
  let lines = splitLines(text, start, end);
  let droppedFirst = false;
  let droppedLast = false;
  if (lines.length > 1 && isBlank(text, lines[0])) {
    lines = lines.slice(1);
    droppedFirst = true;
  }
  if (lines.length > 1 && isBlank(text, lines[lines.length - 1])) {
    lines = lines.slice(0, -1);
    droppedLast = true;
  }
  let indent: string | undefined;
  const first = droppedFirst ? 0 : 1;
  for (let k = first; k < lines.length; k++) {
    if (isBlank(text, lines[k])) continue;
    const ws = leadingWhitespace(text, lines[k]);
    if (indent === undefined) indent = ws;
    else {
      let n = 0;
      while (n < indent.length && n < ws.length && indent[n] === ws[n]) n++;
      indent = indent.slice(0, n);
    }
  }
  return { lines, droppedFirst, droppedLast, indent: indent ?? '' };
}

/** How many leading characters of `line` are removed as indentation (all of `indent` or, for a blank line, its common prefix). */
export function strippedWidth(text: string, line: { start: number; end: number }, indent: string): number {
  let n = 0;
  while (n < indent.length && line.start + n < line.end && text[line.start + n] === indent[n]) n++;
  return n;
}

/** Decodes the content `text[start, end)` of a `"""..."""` string. */
export function decodeTriple(text: string, start: number, end: number): DecodedString {
  const layout = tripleLayout(text, start, end);
  const chars: string[] = [];
  const offsets: number[] = [];
  const diagnostics: Diagnostic[] = [];
  layout.lines.forEach((line, k) => {
    if (k > 0) {
      chars.push('\n');
      offsets.push(layout.lines[k - 1].breakAt);
    }
    const skip = k === 0 && !layout.droppedFirst ? 0 : strippedWidth(text, line, layout.indent);
    decodeSegment(text, line.start + skip, line.end, chars, offsets, diagnostics);
  });
  const last = layout.lines[layout.lines.length - 1];
  offsets.push(last ? last.end : end);
  return { value: chars.join(''), offsets, diagnostics };
}
