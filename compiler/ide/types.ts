/**
 * Plain data answered by the editor queries. Positions are UTF-16 offsets into the document text; the server
 * converts them to LSP positions. Nothing here knows about LSP.
 */
import type { Span } from '../../diagnostics/types.ts';

export type { Span };

export interface TextEdit {
  start: number;
  end: number;
  newText: string;
}

export type SymbolKind = 'flow' | 'type' | 'field' | 'step' | 'param' | 'input' | 'output' | 'artifact' | 'item' | 'image';

export interface DocumentSymbol {
  name: string;
  kind: SymbolKind;
  /** A short description shown next to the name (a type, a step's role). */
  detail?: string;
  /** The whole declaration. */
  span: Span;
  /** The declaring name. */
  selection: Span;
  children: DocumentSymbol[];
}

export interface FoldingRange {
  start: number;
  end: number;
  kind?: 'comment' | 'region';
}

export type CompletionKind = 'keyword' | 'step' | 'artifact' | 'param' | 'type' | 'field' | 'decorator' | 'argument' | 'unit' | 'template' | 'value' | 'snippet';

export interface CompletionItem {
  label: string;
  kind: CompletionKind;
  detail?: string;
  /** Markdown. */
  documentation?: string;
  /** Text to insert instead of the label; a snippet (`$1`, `${1:name}`) when `snippet` is true. */
  insertText?: string;
  snippet?: boolean;
  /** The text the item replaces (the word being typed); defaults to an empty span at the cursor. */
  replace?: Span;
  sortText?: string;
  /** Show first and select (e.g. the artifact whose type fits). */
  preselect?: boolean;
}

export interface Hover {
  /** Markdown. */
  contents: string;
  span: Span;
}

export interface Highlight {
  span: Span;
  kind: 'read' | 'write' | 'text';
}

export type RenameResult = { edits: TextEdit[] } | { error: string };

export interface CodeAction {
  title: string;
  kind: 'quickfix' | 'refactor';
  edits: TextEdit[];
  /** The diagnostic (by code and span) the action fixes. */
  diagnostic?: { code: string; start: number; end: number };
  preferred?: boolean;
}

export interface InlayHint {
  offset: number;
  label: string;
  kind: 'type' | 'parameter';
  paddingLeft?: boolean;
  paddingRight?: boolean;
  tooltip?: string;
}

export interface CodeLens {
  span: Span;
  title: string;
  action: { kind: 'build'; target: string; flow: string } | { kind: 'show-dag'; flow: string };
}

export type SemanticTokenType = 'type' | 'class' | 'function' | 'parameter' | 'variable' | 'property' | 'decorator' | 'keyword' | 'number' | 'string' | 'comment' | 'operator' | 'enumMember';
export type SemanticTokenModifier = 'declaration' | 'readonly' | 'defaultLibrary';

export interface SemanticToken {
  start: number;
  length: number;
  type: SemanticTokenType;
  modifiers: SemanticTokenModifier[];
}
