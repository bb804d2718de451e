/**
 * The token types of the flowc language (chevrotain token types, produced by the hand-written lexer in `lexer.ts`).
 *
 * Keywords are soft: every keyword token is also in the `Name` category, so wherever the grammar expects a name
 * (a step, an artifact, a field), a keyword is accepted too (`out out: int`, a step named `join`).
 */
import { createToken, type TokenType } from 'chevrotain';

/** Any name: an identifier or a keyword. The lexer never produces this category itself. */
export const Name = createToken({ name: 'Name', label: 'a name' });
export const Identifier = createToken({ name: 'Identifier', label: 'a name', categories: [Name] });

function keyword(word: string): TokenType {
  return createToken({ name: `Kw_${word}`, label: `\`${word}\``, categories: [Name] });
}

export const KwType = keyword('type');
export const KwFlow = keyword('flow');
export const KwStep = keyword('step');
export const KwImage = keyword('image');
export const KwParam = keyword('param');
export const KwIn = keyword('in');
export const KwOut = keyword('out');
export const KwFrom = keyword('from');
export const KwRun = keyword('run');
export const KwPython = keyword('python');
export const KwSh = keyword('sh');
export const KwNext = keyword('next');
export const KwForeach = keyword('foreach');
export const KwSwitch = keyword('switch');
export const KwJoin = keyword('join');
export const KwPass = keyword('pass');

/** Keywords by spelling. `true`, `false`, `null` and `else` are plain names that later code classifies. */
export const keywords: ReadonlyMap<string, TokenType> = new Map([
  ['type', KwType],
  ['flow', KwFlow],
  ['step', KwStep],
  ['image', KwImage],
  ['param', KwParam],
  ['in', KwIn],
  ['out', KwOut],
  ['from', KwFrom],
  ['run', KwRun],
  ['python', KwPython],
  ['sh', KwSh],
  ['next', KwNext],
  ['foreach', KwForeach],
  ['switch', KwSwitch],
  ['join', KwJoin],
  ['pass', KwPass],
]);

export const StringLiteral = createToken({ name: 'String', label: 'a string' });
export const IntLiteral = createToken({ name: 'Int', label: 'an integer' });
export const FloatLiteral = createToken({ name: 'Float', label: 'a number' });
export const SizeLiteral = createToken({ name: 'Size', label: 'a size' });
export const DurationLiteral = createToken({ name: 'Duration', label: 'a duration' });

export const LCurly = createToken({ name: 'LCurly', label: '`{`' });
export const RCurly = createToken({ name: 'RCurly', label: '`}`' });
export const LParen = createToken({ name: 'LParen', label: '`(`' });
export const RParen = createToken({ name: 'RParen', label: '`)`' });
export const LBracket = createToken({ name: 'LBracket', label: '`[`' });
export const RBracket = createToken({ name: 'RBracket', label: '`]`' });
export const Comma = createToken({ name: 'Comma', label: '`,`' });
export const Colon = createToken({ name: 'Colon', label: '`:`' });
export const Semicolon = createToken({ name: 'Semicolon', label: '`;`' });
export const Equals = createToken({ name: 'Equals', label: '`=`' });
export const Question = createToken({ name: 'Question', label: '`?`' });
export const At = createToken({ name: 'At', label: '`@`' });
export const Arrow = createToken({ name: 'Arrow', label: '`->`' });
export const Star = createToken({ name: 'Star', label: '`*`' });

export const allTokens: TokenType[] = [
  Name,
  Identifier,
  ...keywords.values(),
  StringLiteral,
  IntLiteral,
  FloatLiteral,
  SizeLiteral,
  DurationLiteral,
  LCurly,
  RCurly,
  LParen,
  RParen,
  LBracket,
  RBracket,
  Comma,
  Colon,
  Semicolon,
  Equals,
  Question,
  At,
  Arrow,
  Star,
];

/** What the lexer attaches to literal tokens (`token.payload`). */
export type StringPayload = { value: string; offsets: number[]; triple: boolean };
/** A number's value; an integer literal beyond 2^53 (where a double is no longer exact) is a `bigint`. */
export type NumberPayload = { value: number | bigint; unit?: string };
