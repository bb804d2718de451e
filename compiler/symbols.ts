/**
 * The symbol model shared by the checker and the editor features.
 *
 * A `Symbol` is one named thing of a file: a flow, a record type or one of its fields, a step, a parameter,
 * an artifact (one per flow and name: every `out` of that name declares it), or a foreach element.
 * Every name occurrence (an `Ident`, or a name inside a `{{...}}` template, which has no node) is recorded
 * as a `Reference` to its symbol, so definition, references, rename and hover need no re-analysis.
 */
import type { FieldDecl, FlowDecl, Ident, NextForeach, OutDecl, ParamDecl, StepDecl, TypeDecl } from '../grammar/ast.ts';
import type { Span } from '../diagnostics/types.ts';
import type { Type } from './sem-types.ts';

interface SymbolBase {
  name: string;
  /** The span of the declaring name (for go-to-definition). */
  nameSpan: Span;
  /** The flow the symbol belongs to; undefined for file-level symbols (records and their fields). */
  flow?: string;
}

export interface FlowSymbol extends SymbolBase {
  kind: 'flow';
  decl: FlowDecl;
}
export interface TypeSymbol extends SymbolBase {
  kind: 'type';
  decl: TypeDecl;
  fields: Map<string, FieldSymbol>;
}
export interface FieldSymbol extends SymbolBase {
  kind: 'field';
  decl: FieldDecl;
  /** The record type declaring the field. */
  record: string;
  type: Type;
}
export interface StepSymbol extends SymbolBase {
  kind: 'step';
  decl: StepDecl;
}
export interface ParamSymbol extends SymbolBase {
  kind: 'param';
  decl: ParamDecl;
  type: Type;
}
/** An artifact of a flow: every `out NAME` of every step declares it. */
export interface ArtifactSymbol extends SymbolBase {
  kind: 'artifact';
  /**
   * The declaring outputs, in source order; the first one is the primary declaration. `fixedName`: a @catch
   * variable whose name is not written as a bare name (the default `error`, or a string), which rename cannot edit.
   */
  decls: { step: string; decl: OutDecl; type: Type; fixedName?: true }[];
}
/** The element of a foreach: `next s foreach NAME in list`, declared in the fanning-out step. */
export interface ItemSymbol extends SymbolBase {
  kind: 'item';
  decl: NextForeach;
  /** The fanning-out step. */
  foreach: string;
  type: Type;
}

export type Symbol = FlowSymbol | TypeSymbol | FieldSymbol | StepSymbol | ParamSymbol | ArtifactSymbol | ItemSymbol;

/**
 * One occurrence of a name. `node` is the `Ident` when there is one (template names have none).
 * `declaration` is true at the symbol's declaring names (a step's name, an `out` name, a param name...).
 */
export interface Reference {
  span: Span;
  symbol: Symbol;
  node?: Ident;
  declaration: boolean;
}

/** The names declared in one flow. */
export interface FlowSymbols {
  flow: FlowSymbol;
  steps: Map<string, StepSymbol>;
  params: Map<string, ParamSymbol>;
  artifacts: Map<string, ArtifactSymbol>;
  /** Foreach elements, by fanning-out step. */
  items: Map<string, ItemSymbol>;
}
