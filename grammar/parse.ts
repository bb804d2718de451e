/**
 * The syntax phase: `.flow` text in, AST and syntax diagnostics out.
 *
 * Contract: `parse` never throws, whatever the input (binary data, huge files, deep nesting, unterminated strings,
 * a BOM, CRLF line ends). With error recovery the AST keeps everything around a mistake, so later phases can check
 * the rest of the file; a typo gives one diagnostic, not a cascade.
 * Offsets in the AST and in diagnostics are UTF-16 offsets into `text` exactly as given (a BOM is not removed).
 */
import { EOF, type IRecognitionException, type IToken } from 'chevrotain';
import type { FileNode } from './ast.ts';
import type { Diagnostic } from '../diagnostics/types.ts';
import { diagnostic } from '../diagnostics/report.ts';
import { compareDiagnostics } from '../diagnostics/render.ts';
import { lex, type LexResult } from './lexer.ts';
import { maxParseErrors, parseTokens } from './parser.ts';
import * as T from './tokens.ts';
import { AstBuilder } from './build-ast.ts';

export interface ParseResult {
  file: FileNode;
  /** Syntax diagnostics, sorted by position. */
  diagnostics: Diagnostic[];
}

/** Parses a whole file. Never throws. */
export function parse(text: string): ParseResult {
  try {
    return parseUnsafe(text);
  } catch (err) {
    // A bug or an exhausted stack: report it as a diagnostic rather than crash the caller.
    return {
      file: { kind: 'File', types: [], flows: [], comments: [], span: { start: 0, end: text.length } },
      diagnostics: [diagnostic('syntax-error', { start: 0, end: 0 }, `The parser failed on this file: ${err instanceof Error ? err.message : String(err)}.`)],
    };
  }
}

function parseUnsafe(text: string): ParseResult {
  const lexed = lex(text);
  const builder = new AstBuilder();
  const { cst, errors } = parseTokens(lexed.tokens, (step) => builder.takeStep(step));
  const file = builder.file(cst, text.length, lexed.comments);
  const diagnostics = [...lexed.diagnostics, ...parserDiagnostics(errors, lexed, text), ...builder.diagnostics];
  diagnostics.sort(compareDiagnostics);
  return { file, diagnostics };
}

/** Parser errors this close (in tokens) after a reported one are follow-on errors of the same mistake. */
const quietTokens = 3;

/** The index of the first token starting at or after `offset`. */
function tokenIndexAt(tokens: IToken[], offset: number): number {
  let lo = 0;
  let hi = tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (tokens[mid].startOffset < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The innermost `{` before token `index` that no `}` before it closes. */
function unclosedBrace(tokens: IToken[], index: number): IToken | undefined {
  const open: IToken[] = [];
  for (let i = 0; i < index && i < tokens.length; i++) {
    if (tokens[i].tokenType === T.LCurly) open.push(tokens[i]);
    else if (tokens[i].tokenType === T.RCurly) open.pop();
  }
  return open[open.length - 1];
}

/**
 * Parser errors as diagnostics: none within a few tokens after a reported one, and none right after a lexical error
 * (the lexer already reported that spot; a second message would only repeat it).
 */
function parserDiagnostics(errors: IRecognitionException[], lexed: LexResult, text: string): Diagnostic[] {
  const lexicalEnds = new Set<number>();
  let lastIndex = -Infinity;
  for (const d of lexed.diagnostics) {
    // These swallow the rest of the file, so the parser's complaint about the missing end repeats them.
    if (d.code === 'unterminated-comment' || d.code === 'nesting-too-deep' || d.code === 'too-many-errors' || (d.code === 'unterminated-string' && text.startsWith('"""', d.start))) {
      lexicalEnds.add(text.length);
    }
    let end = d.end;
    while (end < text.length && /\s/.test(text[end])) end++;
    lexicalEnds.add(end);
  }
  const out: Diagnostic[] = [];
  const offsetOf = (err: IRecognitionException) => (Number.isFinite(err.token?.startOffset) ? err.token.startOffset : text.length);
  for (const err of [...errors].sort((a, b) => offsetOf(a) - offsetOf(b))) {
    const tok = err.token;
    const atEnd = !tok || tok.tokenType === EOF || !Number.isFinite(tok.startOffset);
    const start = atEnd ? text.length : tok.startOffset;
    const end = atEnd ? text.length : tok.endOffset! + 1;
    const index = atEnd ? lexed.tokens.length : tokenIndexAt(lexed.tokens, start);
    if (index < lastIndex + quietTokens || lexicalEnds.has(start)) continue;
    lastIndex = index;
    const d = diagnostic('syntax-error', { start, end }, err.message);
    if (err.message.startsWith('Expecting `}`')) {
      const open = unclosedBrace(lexed.tokens, index);
      if (open) d.related = [{ message: 'This `{` is not closed.', start: open.startOffset, end: open.startOffset + 1 }];
    }
    out.push(d);
  }
  if (errors.length >= maxParseErrors) {
    const last = out[out.length - 1];
    out.push(diagnostic('too-many-errors', { start: last?.start ?? 0, end: last?.end ?? 0 }, `There are more than ${maxParseErrors} syntax errors in this file; the rest of it is not checked.`));
  }
  return out;
}
