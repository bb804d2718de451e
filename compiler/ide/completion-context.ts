/**
 * Where the cursor is, for completion: read from the tokens before it (not from the AST, which a half-typed
 * line breaks), with a stack of the blocks it is inside (`flow F {`, `step s {`, `type T {`, `switch x {`,
 * decorator parentheses, brackets).
 */
import type { IToken } from 'chevrotain';
import type { FileNode } from '../../grammar/ast.ts';
import { lineEndAt, lineStartAt } from '../../diagnostics/line-index.ts';
import { lex } from '../../grammar/lexer.ts';
import type { Span } from './types.ts';

export type Block =
  | { kind: 'flow'; name: string }
  | { kind: 'step'; name: string }
  | { kind: 'type'; name: string }
  | { kind: 'switch' }
  | { kind: 'decorator'; name: string }
  | { kind: 'brace' | 'paren' | 'bracket' };

export interface CompletionContext {
  /** The word being typed (letters, digits, `_`, `.`), which a completion replaces. */
  word: string;
  replace: Span;
  /** Blocks around the cursor, outermost first. */
  blocks: Block[];
  /** Tokens of the current statement before the word, as their text (keywords and names alike). */
  statement: string[];
  /** Tokens on the cursor's line before the word, braces included. */
  line: string[];
  /** The token before the word, `''` at the start of the file. */
  previous: string;
  /**
   * Set when the cursor is inside a string literal: its start offset, the text from its start to the cursor, and
   * the token before the string (`python`/`sh` for a script, `run`, `[` or `,` for a command).
   */
  inString?: { start: number; before: string; after: string };
  inComment: boolean;
  flow?: string;
  step?: string;
}

const wordChar = /[A-Za-z0-9_.]/;
const identifier = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * A place to start lexing from instead of the file's start, with the blocks open there: the end of a complete
 * member of the flow around the cursor (see `lexStart`). Keeps completion fast in big files.
 */
export interface LexStart {
  offset: number;
  blocks: Block[];
}

export function completionContext(text: string, offset: number, from: LexStart = { offset: 0, blocks: [] }): CompletionContext {
  let wordStart = offset;
  while (wordStart > 0 && wordChar.test(text[wordStart - 1])) wordStart--;
  let wordEnd = offset;
  while (wordEnd < text.length && /[A-Za-z0-9_]/.test(text[wordEnd])) wordEnd++;
  // Tokens up to the end of the cursor's line: enough to see a string or comment containing the cursor.
  const lineEnd = lineEndAt(text, offset);
  const base = from.offset;
  const { tokens: rawTokens, comments: rawComments } = lex(text.slice(base, lineEnd));
  const tokens = rawTokens.map((t) => ({ ...t, startOffset: t.startOffset + base, endOffset: (t.endOffset ?? t.startOffset) + base }));
  const comments = rawComments.map((c) => ({ ...c, span: { start: c.span.start + base, end: c.span.end + base } }));
  const ctx: CompletionContext = {
    word: text.slice(wordStart, offset),
    replace: { start: wordStart, end: wordEnd },
    blocks: [],
    statement: [],
    line: [],
    previous: '',
    inComment: comments.some((c) => c.span.start < offset && offset <= c.span.end && (c.text.startsWith('/*') ? !c.text.endsWith('*/') || offset < c.span.end : true)),
  };
  const before: IToken[] = [];
  for (const t of tokens) {
    const start = t.startOffset;
    const end = (t.endOffset ?? t.startOffset) + 1;
    if (t.tokenType.name === 'String' && start < offset && (offset < end || (offset === end && !closed(t.image)))) {
      ctx.inString = { start, before: text.slice(start, offset), after: before.length ? before[before.length - 1].image : '' };
      break;
    }
    if (start >= wordStart) break;
    before.push(t);
  }
  ctx.blocks = blocksOf(before, from.blocks);
  const lineStart = lineStartAt(text, wordStart);
  // The statement: tokens on the cursor's line after the last `{`, `}` or `;`, from the last keyword that starts
  // a statement (a one-line step holds several: `step a { in x out y: int python "..." next b }`).
  const stmt: string[] = [];
  for (let i = before.length - 1; i >= 0; i--) {
    const t = before[i];
    if (t.startOffset < lineStart || t.image === '{' || t.image === '}' || t.image === ';') break;
    stmt.unshift(t.image);
    if (statementKeywords.has(t.image) && !(t.image === 'in' && before[i - 2]?.image === 'foreach')) break;
  }
  ctx.statement = stmt;
  ctx.line = before.filter((t) => t.startOffset >= lineStart).map((t) => t.image);
  ctx.previous = before.length ? before[before.length - 1].image : '';
  for (const b of ctx.blocks) {
    if (b.kind === 'flow') ctx.flow = b.name;
    if (b.kind === 'step') ctx.step = b.name;
  }
  return ctx;
}

/**
 * Where lexing may start for a cursor at `offset`: just after the last complete member of the enclosing flow
 * that ends before the cursor (a step must end with its `}`), with the flow's block open. Falls back to the
 * start of the file outside flows.
 */
export function lexStart(file: FileNode, text: string, offset: number): LexStart {
  for (const flow of file.flows ?? []) {
    if (!(flow.span.start < offset && offset <= flow.span.end) || !flow.name?.name) continue;
    let best = -1;
    for (const m of flow.members ?? []) {
      if (m.span.end > offset) break;
      if (m.kind === 'Step' && text[m.span.end - 1] !== '}') continue;
      best = m.span.end;
    }
    return best < 0 ? { offset: 0, blocks: [] } : { offset: best, blocks: [{ kind: 'flow', name: flow.name.name }] };
  }
  return { offset: 0, blocks: [] };
}

/** Keywords that begin a statement in a flow or step body (`in` too, except in `foreach x in xs`). */
const statementKeywords = new Set(['in', 'out', 'run', 'python', 'sh', 'next', 'image', 'param', 'step']);

function closed(image: string): boolean {
  if (image.startsWith('"""')) return image.length >= 6 && image.endsWith('"""');
  return image.length >= 2 && image.endsWith('"') && !image.endsWith('\\"');
}

/** The blocks open after `tokens`, lexed inside the blocks `outer`. */
function blocksOf(tokens: IToken[], outer: Block[]): Block[] {
  const stack: Block[] = [...outer];
  const img = (i: number) => (i >= 0 ? tokens[i].image : '');
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i].image;
    if (t === '{') {
      const k2 = img(i - 2);
      if (k2 === 'flow' || k2 === 'step' || k2 === 'type') stack.push({ kind: k2, name: img(i - 1) });
      // `stpe a {` in a flow: a step whose keyword is misspelt (the parser reports it; completion still helps).
      else if (stack[stack.length - 1]?.kind === 'flow' && identifier.test(k2) && identifier.test(img(i - 1))) stack.push({ kind: 'step', name: img(i - 1) });
      else if (img(i - 2) === 'switch') stack.push({ kind: 'switch' });
      else stack.push({ kind: 'brace' });
    } else if (t === '(') {
      stack.push(img(i - 2) === '@' ? { kind: 'decorator', name: img(i - 1) } : { kind: 'paren' });
    } else if (t === '[') stack.push({ kind: 'bracket' });
    else if (t === '}' || t === ')' || t === ']') {
      const want = t === '}' ? ['flow', 'step', 'type', 'switch', 'brace'] : t === ')' ? ['decorator', 'paren'] : ['bracket'];
      // Pop up to the matching opener; an unmatched closer is ignored.
      const idx = findLastIndex(stack, (b) => want.includes(b.kind));
      if (idx >= 0) stack.length = idx;
    }
  }
  return stack;
}

function findLastIndex<T>(list: T[], pred: (x: T) => boolean): number {
  for (let i = list.length - 1; i >= 0; i--) if (pred(list[i])) return i;
  return -1;
}
