/**
 * The lexer: source text to chevrotain tokens, comments, and lexical diagnostics.
 *
 * Hand-written rather than a chevrotain `Lexer` so that strings, units and bad characters get precise, single
 * diagnostics and the lexer can always go on: an unterminated string ends at its line's end, an invalid
 * character is skipped, a number with an unknown unit still becomes one literal token.
 * Invariant: never throws; offsets are UTF-16 offsets into the original text (a leading BOM is skipped, not removed).
 */
import type { IToken, TokenType } from 'chevrotain';
import type { Comment } from './ast.ts';
import type { Diagnostic } from '../diagnostics/types.ts';
import { isLineBreak, lineEndAt } from '../diagnostics/line-index.ts';
import { diagnostic } from '../diagnostics/report.ts';
import { decodeQuoted, decodeTriple } from './strings.ts';
import * as T from './tokens.ts';
import { durationUnits, sizeUnits } from './units.ts';

export interface LexResult {
  tokens: IToken[];
  comments: Comment[];
  diagnostics: Diagnostic[];
}

/** Brackets nested deeper than this are refused (the parser is recursive; this keeps the stack bounded). */
const maxNesting = 100;

/** The lexer stops after this many errors (binary data would otherwise give one per byte). */
const maxLexicalErrors = 100;

const punctuation: Record<string, TokenType> = {
  '{': T.LCurly,
  '}': T.RCurly,
  '(': T.LParen,
  ')': T.RParen,
  '[': T.LBracket,
  ']': T.RBracket,
  ',': T.Comma,
  ':': T.Colon,
  ';': T.Semicolon,
  '=': T.Equals,
  '?': T.Question,
  '@': T.At,
  '*': T.Star,
};

const isDigit = (c: number) => c >= 48 && c <= 57;
const isIdentStart = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isIdentPart = (c: number) => isIdentStart(c) || isDigit(c);
const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11;

/**
 * Spellings people reach for, mapped to the unit they mean: the "did you mean" hint, and the unit the literal
 * is read with after the error (so later phases do not report the same literal again).
 */
const unitAliases: Record<string, string> = {
  sec: 's',
  secs: 's',
  second: 's',
  seconds: 's',
  min: 'm',
  mins: 'm',
  minute: 'm',
  minutes: 'm',
  hr: 'h',
  hrs: 'h',
  hour: 'h',
  hours: 'h',
  day: 'd',
  days: 'd',
  g: 'GiB',
  gi: 'GiB',
  m: 'MiB',
  mi: 'MiB',
  k: 'KiB',
  ki: 'KiB',
};

const sizeUnitSet = new Set<string>(sizeUnits);
const durationUnitSet = new Set<string>(durationUnits);

function describeChar(ch: string): string {
  const cp = ch.codePointAt(0)!;
  if (cp < 32 || cp === 127 || (cp >= 0x80 && cp < 0xa0) || cp === 0xfeff) return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  return `\`${ch}\``;
}

/**
 * A chevrotain token. Built as one object literal (every token has the same shape, `payload` included)
 * rather than with `createTokenInstance` and a later `payload` assignment, which changed the object's shape.
 * Lines and columns are not tracked (positions are offsets, converted only when printing), and their optional
 * fields are left out rather than set to undefined: a 10,000-step file has 160,000 tokens.
 */
function makeToken(type: TokenType, text: string, start: number, end: number, payload?: unknown, image = text.slice(start, end)): IToken {
  return {
    image,
    startOffset: start,
    endOffset: end - 1,
    tokenTypeIdx: type.tokenTypeIdx!,
    tokenType: type,
    payload,
  };
}

export function lex(text: string): LexResult {
  const tokens: IToken[] = [];
  const comments: Comment[] = [];
  const diagnostics: Diagnostic[] = [];
  const n = text.length;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let depth = 0;

  while (i < n) {
    if (diagnostics.length >= maxLexicalErrors) {
      diagnostics.push(diagnostic('too-many-errors', { start: i, end: i }, `There are more than ${maxLexicalErrors} errors in this file; the rest of it is not checked. Is it a flow file?`));
      break;
    }
    const c = text.charCodeAt(i);
    if (isSpace(c)) {
      i++;
      continue;
    }
    // Comments.
    if (c === 47 /* / */ && text.charCodeAt(i + 1) === 47) {
      const end = lineEndAt(text, i + 2);
      comments.push({ kind: 'Comment', text: text.slice(i, end), span: { start: i, end } });
      i = end;
      continue;
    }
    if (c === 47 && text.charCodeAt(i + 1) === 42 /* * */) {
      const close = text.indexOf('*/', i + 2);
      const end = close < 0 ? n : close + 2;
      if (close < 0) {
        diagnostics.push(diagnostic('unterminated-comment', { start: i, end: i + 2 }, 'This block comment is never closed: add `*/` to end it.'));
      }
      comments.push({ kind: 'Comment', text: text.slice(i, end), span: { start: i, end } });
      i = end;
      continue;
    }
    // Names and keywords.
    if (isIdentStart(c)) {
      let j = i + 1;
      while (j < n && isIdentPart(text.charCodeAt(j))) j++;
      const word = text.slice(i, j);
      tokens.push(makeToken(T.keywords.get(word) ?? T.Identifier, text, i, j, undefined, word));
      i = j;
      continue;
    }
    // Numbers, with an optional unit; `-` directly before a digit is a sign.
    if (isDigit(c) || (c === 45 /* - */ && isDigit(text.charCodeAt(i + 1)))) {
      i = lexNumber(text, i, tokens, diagnostics);
      continue;
    }
    if (c === 45 && text.charCodeAt(i + 1) === 62 /* > */) {
      tokens.push(makeToken(T.Arrow, text, i, i + 2));
      i += 2;
      continue;
    }
    // Strings.
    if (c === 34 /* " */) {
      i = text.startsWith('"""', i) ? lexTriple(text, i, tokens, diagnostics) : lexQuoted(text, i, tokens, diagnostics);
      continue;
    }
    const punct = punctuation[text[i]];
    if (punct) {
      if (punct === T.LCurly || punct === T.LParen || punct === T.LBracket) {
        if (++depth > maxNesting) {
          diagnostics.push(diagnostic('nesting-too-deep', { start: i, end: i + 1 }, `Brackets are nested more than ${maxNesting} levels deep; the rest of the file is ignored.`));
          break;
        }
      } else if (punct === T.RCurly || punct === T.RParen || punct === T.RBracket) {
        depth = Math.max(0, depth - 1);
      }
      tokens.push(makeToken(punct, text, i, i + 1));
      i++;
      continue;
    }
    // A run of characters that cannot start a token: one diagnostic for the run.
    let j = i;
    while (j < n) {
      const d = text.charCodeAt(j);
      if (isSpace(d) || isIdentStart(d) || isDigit(d) || d === 34 || d === 45 || d === 47 || punctuation[text[j]]) break;
      j++;
    }
    if (j === i) j = i + 1;
    const first = String.fromCodePoint(text.codePointAt(i)!);
    diagnostics.push(diagnostic('invalid-character', { start: i, end: j }, j - i > first.length ? `Unexpected characters starting with ${describeChar(first)}.` : `Unexpected character ${describeChar(first)}.`));
    i = j;
  }
  return { tokens, comments, diagnostics };
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * An integer literal's exact value: a number while a double holds it exactly, else a `bigint`. `int` is 64-bit
 * signed: a literal outside that range is `int-out-of-range` (and its value is kept, so checking goes on).
 */
function exactInt(text: string, start: number, end: number, diagnostics: Diagnostic[]): number | bigint {
  const digits = text.slice(start, end);
  const n = Number(digits);
  if (Number.isSafeInteger(n)) return n;
  const big = BigInt(digits);
  if (big < INT64_MIN || big > INT64_MAX) {
    const shown = digits.length > 40 ? `${digits.slice(0, 40)}... (${digits.replace('-', '').length} digits)` : digits;
    diagnostics.push(
      diagnostic(
        'int-out-of-range',
        { start, end },
        `The integer ${shown} is outside the 64-bit range of int (-9223372036854775808 to 9223372036854775807); write a float (\`1e20\`) or a string if you mean one.`,
      ),
    );
  }
  return big;
}

function lexNumber(text: string, start: number, tokens: IToken[], diagnostics: Diagnostic[]): number {
  const n = text.length;
  let j = start;
  if (text.charCodeAt(j) === 45) j++;
  while (j < n && isDigit(text.charCodeAt(j))) j++;
  let isFloat = false;
  if (text.charCodeAt(j) === 46 /* . */ && isDigit(text.charCodeAt(j + 1))) {
    isFloat = true;
    j++;
    while (j < n && isDigit(text.charCodeAt(j))) j++;
  }
  const e = text.charCodeAt(j);
  if (e === 101 || e === 69) {
    const sign = text.charCodeAt(j + 1);
    const k = sign === 43 || sign === 45 ? j + 2 : j + 1;
    if (isDigit(text.charCodeAt(k))) {
      isFloat = true;
      j = k;
      while (j < n && isDigit(text.charCodeAt(j))) j++;
    }
  }
  const numberEnd = j;
  const value = Number(text.slice(start, numberEnd));
  let unitEnd = j;
  while (unitEnd < n && isIdentPart(text.charCodeAt(unitEnd))) unitEnd++;
  const unit = text.slice(numberEnd, unitEnd);
  if (unit === '') {
    tokens.push(makeToken(isFloat ? T.FloatLiteral : T.IntLiteral, text, start, numberEnd, { value: isFloat ? value : exactInt(text, start, numberEnd, diagnostics) }));
    return numberEnd;
  }
  if (sizeUnitSet.has(unit)) {
    tokens.push(makeToken(T.SizeLiteral, text, start, unitEnd, { value, unit }));
    return unitEnd;
  }
  if (durationUnitSet.has(unit)) {
    tokens.push(makeToken(T.DurationLiteral, text, start, unitEnd, { value, unit }));
    return unitEnd;
  }
  // An unknown unit: one diagnostic, and a literal token so that the parser goes on without a second error.
  // With a guess, the token is a size or duration in the guessed unit, so the decorator checks accept it quietly.
  const guess =
    sizeUnits.find((u) => u.toLowerCase() === unit.toLowerCase()) ?? durationUnits.find((u) => u.toLowerCase() === unit.toLowerCase()) ?? unitAliases[unit.toLowerCase()];
  const sizeGuess = guess !== undefined && sizeUnitSet.has(guess) ? guess : undefined;
  const durationGuess = guess !== undefined && durationUnitSet.has(guess) ? guess : undefined;
  const message =
    `Unknown unit \`${unit}\` after the number \`${text.slice(start, numberEnd)}\`` +
    (guess ? `; did you mean \`${guess}\`?` : '.') +
    ` Sizes use ${sizeUnits.map((u) => `\`${u}\``).join(', ')}; durations use ${durationUnits.map((u) => `\`${u}\``).join(', ')}.`;
  diagnostics.push(diagnostic('unknown-unit', { start, end: unitEnd }, message, guess ? { data: { suggestion: guess } } : undefined));
  if (sizeGuess) tokens.push(makeToken(T.SizeLiteral, text, start, unitEnd, { value, unit: sizeGuess }));
  else if (durationGuess) tokens.push(makeToken(T.DurationLiteral, text, start, unitEnd, { value, unit: durationGuess }));
  else tokens.push(makeToken(isFloat ? T.FloatLiteral : T.IntLiteral, text, start, unitEnd, { value }));
  return unitEnd;
}

function lexQuoted(text: string, start: number, tokens: IToken[], diagnostics: Diagnostic[]): number {
  const n = text.length;
  let j = start + 1;
  let closed = false;
  while (j < n) {
    const c = text.charCodeAt(j);
    if (c === 34) {
      closed = true;
      break;
    }
    if (isLineBreak(c)) break;
    if (c === 92 /* \ */ && j + 1 < n && !isLineBreak(text.charCodeAt(j + 1))) j += 2;
    else j++;
  }
  const contentEnd = Math.min(j, n);
  const decoded = decodeQuoted(text, start + 1, contentEnd);
  diagnostics.push(...decoded.diagnostics);
  if (!closed) {
    diagnostics.push(diagnostic('unterminated-string', { start, end: contentEnd }, 'This string is never closed: add `"` before the end of the line (use `"""` for a string over several lines).'));
  }
  const end = closed ? contentEnd + 1 : contentEnd;
  tokens.push(makeToken(T.StringLiteral, text, start, end, { value: decoded.value, offsets: decoded.offsets, triple: false }));
  return end;
}

function lexTriple(text: string, start: number, tokens: IToken[], diagnostics: Diagnostic[]): number {
  const n = text.length;
  let j = start + 3;
  let closed = false;
  while (j < n) {
    const c = text.charCodeAt(j);
    if (c === 34 && text.startsWith('"""', j)) {
      closed = true;
      break;
    }
    if (c === 92 && j + 1 < n && !isLineBreak(text.charCodeAt(j + 1))) j += 2;
    else j++;
  }
  const contentEnd = Math.min(j, n);
  const decoded = decodeTriple(text, start + 3, contentEnd);
  diagnostics.push(...decoded.diagnostics);
  if (!closed) {
    diagnostics.push(diagnostic('unterminated-string', { start, end: start + 3 }, 'This triple-quoted string is never closed: add `"""` to end it.'));
  }
  const end = closed ? contentEnd + 3 : contentEnd;
  tokens.push(makeToken(T.StringLiteral, text, start, end, { value: decoded.value, offsets: decoded.offsets, triple: true }));
  return end;
}
