/**
 * The flowc abstract syntax tree.
 *
 * Nodes are plain data: a `kind` discriminant and a `span` (UTF-16 offsets into the source text).
 * The parser builds them with error recovery, so any field holding a sub-node may be missing
 * (`undefined`) or hold an `Ident` with an empty name when the source was broken there;
 * later phases must tolerate that without reporting follow-on errors.
 * Resolution and typing results live in side tables in `compiler/`, never on the tree.
 */
import type { Span } from '../diagnostics/types.ts';

export type { Span };

export interface Ident {
  kind: 'Ident';
  name: string;
  span: Span;
}

/** A comment, kept for the formatter (not part of any node). */
export interface Comment {
  kind: 'Comment';
  /** The full comment text including `//` or the `/* *\/` delimiters. */
  text: string;
  span: Span;
}

export interface FileNode {
  kind: 'File';
  types: TypeDecl[];
  flows: FlowDecl[];
  /** Every comment in source order. */
  comments: Comment[];
  span: Span;
}

// ---------------------------------------------------------------------------------------------
// Types

export interface TypeDecl {
  kind: 'TypeDecl';
  name: Ident;
  fields: FieldDecl[];
  span: Span;
}

export interface FieldDecl {
  kind: 'Field';
  name: Ident;
  type: TypeExpr | undefined;
  span: Span;
}

/** `int`, `string`, `Stats`, ...: built-in names and declared records share this node. */
export interface NamedType {
  kind: 'NamedType';
  name: Ident;
  span: Span;
}
/** `[T]` */
export interface ListType {
  kind: 'ListType';
  element: TypeExpr | undefined;
  span: Span;
}
/** `{T}`: a map from string to T. */
export interface MapType {
  kind: 'MapType';
  value: TypeExpr | undefined;
  span: Span;
}
/** `T?` */
export interface OptionalType {
  kind: 'OptionalType';
  inner: TypeExpr;
  span: Span;
}
export type TypeExpr = NamedType | ListType | MapType | OptionalType;

// ---------------------------------------------------------------------------------------------
// Literals and expressions (decorator arguments, parameter defaults, switch cases)

export interface StringLit {
  kind: 'String';
  /** The decoded value: escapes resolved; for `"""` strings, indentation stripped. */
  value: string;
  /** True for a `"""triple-quoted"""` string. */
  triple: boolean;
  /**
   * `offsets[i]` is the source offset of `value[i]`; `offsets[value.length]` is the offset just past
   * the last content character. Lets later phases put a span on text inside a string
   * (e.g. a `{{in.x}}` template) even across escapes and stripped indentation.
   */
  offsets: number[];
  span: Span;
}
export interface IntLit {
  kind: 'Int';
  /** Exact: a `bigint` beyond 2^53, where a double would round it (within int's 64 bits unless reported). */
  value: number | bigint;
  span: Span;
}
export interface FloatLit {
  kind: 'Float';
  value: number;
  span: Span;
}
export interface BoolLit {
  kind: 'Bool';
  value: boolean;
  span: Span;
}
/** `512MiB`, `20GiB`, `1.5GB`, `100KB`: value and unit as written. */
export interface SizeLit {
  kind: 'Size';
  value: number;
  /** One of `B`, `KB`, `MB`, `GB`, `TB`, `KiB`, `MiB`, `GiB`, `TiB`. */
  unit: string;
  span: Span;
}
/** `30s`, `5m`, `2h`, `1d`, `500ms`: value and unit as written. */
export interface DurationLit {
  kind: 'Duration';
  value: number;
  /** One of `ms`, `s`, `m`, `h`, `d`. */
  unit: string;
  span: Span;
}
export interface NullLit {
  kind: 'Null';
  span: Span;
}
/** `[a, b]` */
export interface ListExpr {
  kind: 'List';
  items: Expr[];
  span: Span;
}
/** `{ key: value, "other-key": value }` */
export interface ObjectExpr {
  kind: 'Object';
  entries: ObjectEntry[];
  span: Span;
}
export interface ObjectEntry {
  kind: 'Entry';
  /** An identifier or a string literal key; `name.name` holds the decoded key either way. */
  key: Ident;
  value: Expr | undefined;
  span: Span;
}
/** A bare name used as a value, e.g. `@schedule(daily)` or `@catch(err)`. */
export interface NameExpr {
  kind: 'Name';
  name: Ident;
  span: Span;
}
export type Literal = StringLit | IntLit | FloatLit | BoolLit | SizeLit | DurationLit | NullLit;
export type Expr = Literal | ListExpr | ObjectExpr | NameExpr;

// ---------------------------------------------------------------------------------------------
// Decorators

/** `@name(arg, key: value, ...)`; the parentheses are optional when there are no arguments. */
export interface Decorator {
  kind: 'Decorator';
  name: Ident;
  args: DecoratorArg[];
  span: Span;
}
export interface DecoratorArg {
  kind: 'Arg';
  /** Absent for a positional argument (`@timeout(30m)`). */
  name: Ident | undefined;
  value: Expr | undefined;
  span: Span;
}

// ---------------------------------------------------------------------------------------------
// Flows and steps

export interface FlowDecl {
  kind: 'Flow';
  decorators: Decorator[];
  name: Ident;
  members: FlowMember[];
  span: Span;
}
export type FlowMember = ImageDecl | ParamDecl | StepDecl;

/** `image "python:3.12-slim"` at flow level (the default) or inside a step (an override). */
export interface ImageDecl {
  kind: 'Image';
  value: StringLit | undefined;
  span: Span;
}

/** `param limit: int = 100` */
export interface ParamDecl {
  kind: 'Param';
  name: Ident;
  type: TypeExpr | undefined;
  default: Expr | undefined;
  span: Span;
}

export interface StepDecl {
  kind: 'Step';
  decorators: Decorator[];
  /** The `join` of `join step NAME { ... }`: the step closes the innermost open split or foreach. */
  join: { kind: 'JoinMarker'; span: Span } | undefined;
  name: Ident;
  /** Members in source order (the formatter keeps this order). */
  members: StepMember[];
  span: Span;
}
export type StepMember = ImageDecl | InDecl | OutDecl | PassDecl | Body | NextClause;

/**
 * `pass a, b` or `pass *` at a join: passes on artifacts that exactly one branch of the split it closes produced
 * (or that were visible before the split), as if the join had produced them.
 */
export interface PassDecl {
  kind: 'Pass';
  /** `pass *`: every artifact exactly one branch produced. */
  all: boolean;
  names: Ident[];
  span: Span;
}

/** `in x: int`, `in x: [int]` (gather), `in x: int from a` (pick); the type may be omitted (inferred). */
export interface InDecl {
  kind: 'In';
  name: Ident;
  type: TypeExpr | undefined;
  from: Ident | undefined;
  span: Span;
}
/** `out x: int` */
export interface OutDecl {
  kind: 'Out';
  name: Ident;
  type: TypeExpr | undefined;
  span: Span;
}

/** `run "shell command"` */
export interface RunShell {
  kind: 'RunShell';
  command: StringLit | undefined;
  span: Span;
}
/** `run ["argv0", "argv1", ...]`: executed without a shell. */
export interface RunArgv {
  kind: 'RunArgv';
  args: StringLit[];
  span: Span;
}
/** `python """..."""` or `sh """..."""` (a plain string works too). */
export interface Script {
  kind: 'Script';
  language: 'python' | 'sh';
  source: StringLit | undefined;
  span: Span;
}
export type Body = RunShell | RunArgv | Script;

/** `next a` (linear) or `next a, b` (static split). */
export interface NextSteps {
  kind: 'NextSteps';
  targets: Ident[];
  span: Span;
}
/** `next count foreach genre in genres` */
export interface NextForeach {
  kind: 'NextForeach';
  target: Ident;
  item: Ident;
  list: Ident;
  span: Span;
}
/** `next switch best { "drama" -> publish, else -> end }` */
export interface NextSwitch {
  kind: 'NextSwitch';
  subject: Ident;
  cases: SwitchCase[];
  /** The `else -> step` arm, if any. */
  otherwise: Ident | undefined;
  /** Span of the `else` arm, if any. */
  otherwiseSpan: Span | undefined;
  span: Span;
}
export interface SwitchCase {
  kind: 'Case';
  value: StringLit | IntLit | BoolLit | undefined;
  target: Ident;
  span: Span;
}
export type NextClause = NextSteps | NextForeach | NextSwitch;

export type Node =
  | FileNode
  | TypeDecl
  | FieldDecl
  | TypeExpr
  | Expr
  | ObjectEntry
  | Decorator
  | DecoratorArg
  | FlowDecl
  | FlowMember
  | StepMember
  | SwitchCase
  | Ident;

export const isBody = (m: StepMember): m is Body => m.kind === 'RunShell' || m.kind === 'RunArgv' || m.kind === 'Script';
export const isNext = (m: StepMember): m is NextClause =>
  m.kind === 'NextSteps' || m.kind === 'NextForeach' || m.kind === 'NextSwitch';
