/**
 * The request handlers: each converts from LSP, calls one pure query of `compiler/ide/`, and converts back.
 * Registered through `session.request`, which adds cancellation and error isolation.
 */
import {
  CodeActionKind,
  CompletionItemKind,
  DocumentHighlightKind,
  InlayHintKind,
  InsertTextFormat,
  FoldingRangeKind,
  MarkupKind,
  ResponseError,
  ErrorCodes,
  SymbolKind,
  type Diagnostic as LspDiagnostic,
  type DocumentSymbol as LspDocumentSymbol,
  type FoldingRange as LspFoldingRange,
  type SelectionRange,
  type SemanticTokens,
  type SemanticTokensLegend,
  type SymbolInformation,
} from 'vscode-languageserver/node';
import { pathToFileURL } from 'node:url';
import type { LineIndex } from '../diagnostics/line-index.ts';
import { LineIndex as Lines } from '../diagnostics/line-index.ts';
import { getDocumentSymbols } from '../compiler/ide/get-document-symbols.ts';
import { matchWorkspaceSymbols, workspaceOutline } from '../compiler/ide/get-workspace-symbols.ts';
import { getFoldingRanges } from '../compiler/ide/get-folding-ranges.ts';
import { getSemanticTokens, semanticTokenModifiers, semanticTokenTypes } from '../compiler/ide/get-semantic-tokens.ts';
import { getDefinition, getTypeDefinition } from '../compiler/ide/get-definition.ts';
import { getHover } from '../compiler/ide/get-hover.ts';
import { getDocumentHighlights, getReferences } from '../compiler/ide/get-references.ts';
import { getRename, prepareRename } from '../compiler/ide/get-rename.ts';
import { getCodeActions } from '../compiler/ide/get-code-actions.ts';
import { getCodeLenses } from '../compiler/ide/get-code-lenses.ts';
import { getCompletions } from '../compiler/ide/get-completions.ts';
import { getDag } from '../compiler/ide/get-dag.ts';
import { getFormatting } from '../compiler/ide/get-formatting.ts';
import { getInlayHints } from '../compiler/ide/get-inlay-hints.ts';
import { getSignatureHelp } from '../compiler/ide/get-signature-help.ts';
import { getSelectionRanges } from '../compiler/ide/get-selection-ranges.ts';
import type { CompletionItem, DocumentSymbol, SemanticToken } from '../compiler/ide/types.ts';
import { buildForTarget, targetList } from './build.ts';
import { targets } from '../targets/registry.ts';
import { buildRequest, commandIds, dagRequest, targetsRequest, type BuildParams, type BuildResult, type DagParams, type DagResult } from './protocol.ts';
import { toOffset, toRange, toTextEdit } from './convert.ts';
import type { Session } from './server.ts';

export const semanticTokensLegend: SemanticTokensLegend = { tokenTypes: semanticTokenTypes, tokenModifiers: semanticTokenModifiers };

export function registerFeatures(session: Session): void {
  const { connection, request } = session;
  const buildLenses = targets.flatMap((t) => (t.lens ? [{ target: t.name, title: t.lens }] : []));
  const docOf = (uri: string) => session.ideDocument(uri);

  connection.onCompletion(
    request('completion', ({ textDocument, position }) => {
      const doc = docOf(textDocument.uri);
      if (!doc) return null;
      return getCompletions(doc, toOffset(doc.lines, position)).map((it) => ({
        label: it.label,
        kind: completionKinds[it.kind],
        detail: it.detail,
        documentation: it.documentation ? { kind: MarkupKind.Markdown, value: it.documentation } : undefined,
        textEdit: { range: toRange(doc.lines, it.replace!), newText: it.insertText ?? it.label },
        insertTextFormat: it.snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
        sortText: it.sortText,
        preselect: it.preselect,
        // Re-open the list after a template scope (`{{in.`) or an `in ` was inserted.
        command: it.label.endsWith('.') || it.insertText === 'in ' ? { title: 'Suggest', command: 'editor.action.triggerSuggest' } : undefined,
      }));
    }),
  );

  connection.onCodeAction(
    request('codeAction', ({ textDocument, range, context }) => {
      const doc = docOf(textDocument.uri);
      if (!doc) return null;
      return getCodeActions(doc, { start: toOffset(doc.lines, range.start), end: toOffset(doc.lines, range.end) }).map((a) => {
        // The client's own diagnostic the action fixes, as the client sent it: VS Code rejects a code action whose
        // diagnostics it cannot match (a rebuilt one without a message fails `asCodeActionResult`).
        const fixed = a.diagnostic && clientDiagnostic(doc.lines, context.diagnostics, a.diagnostic);
        return {
          title: a.title,
          kind: a.kind === 'quickfix' ? CodeActionKind.QuickFix : CodeActionKind.Refactor,
          isPreferred: a.preferred,
          diagnostics: fixed ? [fixed] : undefined,
          edit: { changes: { [textDocument.uri]: a.edits.map((e) => toTextEdit(doc.lines, e)) } },
        };
      });
    }),
  );

  connection.languages.inlayHint.on(
    request('inlayHint', ({ textDocument, range }) => {
      const doc = docOf(textDocument.uri);
      if (!doc) return null;
      return getInlayHints(doc, { start: toOffset(doc.lines, range.start), end: toOffset(doc.lines, range.end) }).map((h) => ({
        position: doc.lines.position(h.offset),
        label: h.label,
        kind: h.kind === 'type' ? InlayHintKind.Type : InlayHintKind.Parameter,
        tooltip: h.tooltip,
        paddingLeft: h.paddingLeft,
      }));
    }),
  );

  connection.onCodeLens(
    request('codeLens', ({ textDocument }) => {
      const doc = docOf(textDocument.uri);
      if (!doc) return null;
      return getCodeLenses(doc, buildLenses).map((l) => ({
        range: toRange(doc.lines, l.span),
        command:
          l.action.kind === 'build'
            ? { title: l.title, command: commandIds.build, arguments: [textDocument.uri, l.action.target] }
            : { title: l.title, command: commandIds.showDag, arguments: [textDocument.uri] },
      }));
    }),
  );

  connection.onRequest(
    dagRequest,
    request('flowc/dag', ({ uri }: DagParams): DagResult => {
      const doc = docOf(uri);
      if (!doc) return { flows: [], errors: 0 };
      const view = getDag(doc);
      return { errors: view.errors, flows: view.flows.map((f) => ({ ...f, nodes: f.nodes.map(({ offset, ...n }) => ({ ...n, line: doc.lines.position(offset).line })) })) };
    }),
  );

  connection.onRequest(
    buildRequest,
    request('flowc/build', async ({ uri, target }: BuildParams): Promise<BuildResult> => {
      const doc = docOf(uri);
      return doc ? buildForTarget(doc, target) : { files: [], problems: ['The document is not open.'] };
    }),
  );

  connection.onRequest(
    targetsRequest,
    request('flowc/targets', () => targetList()),
  );

  connection.onDocumentFormatting(
    request('formatting', ({ textDocument }) => {
      const doc = docOf(textDocument.uri);
      return doc ? getFormatting(doc).map((e) => toTextEdit(doc.lines, e)) : null;
    }),
  );

  connection.onSignatureHelp(
    request('signatureHelp', ({ textDocument, position }) => {
      const doc = docOf(textDocument.uri);
      const res = doc && getSignatureHelp(doc, toOffset(doc.lines, position));
      if (!res) return null;
      return {
        signatures: [{ label: res.label, documentation: { kind: MarkupKind.Markdown, value: res.documentation }, parameters: res.parameters.map((p) => ({ label: p.label, documentation: p.documentation })) }],
        activeSignature: 0,
        activeParameter: res.active,
      };
    }),
  );

  connection.onSelectionRanges(
    request('selectionRange', ({ textDocument, positions }) => {
      const doc = docOf(textDocument.uri);
      if (!doc) return null;
      return positions.map((position) => {
        const spans = getSelectionRanges(doc, toOffset(doc.lines, position));
        let parent: SelectionRange | undefined;
        for (const span of [...spans].reverse()) parent = { range: toRange(doc.lines, span), parent };
        return parent ?? { range: { start: position, end: position } };
      });
    }),
  );

  connection.onHover(
    request('hover', ({ textDocument, position }) => {
      const doc = docOf(textDocument.uri);
      const res = doc && getHover(doc, toOffset(doc.lines, position));
      return res ? { contents: { kind: MarkupKind.Markdown, value: res.contents }, range: toRange(doc.lines, res.span) } : null;
    }),
  );

  connection.onDefinition(
    request('definition', ({ textDocument, position }) => {
      const doc = docOf(textDocument.uri);
      return doc ? getDefinition(doc, toOffset(doc.lines, position)).map((s) => ({ uri: textDocument.uri, range: toRange(doc.lines, s) })) : null;
    }),
  );

  connection.onTypeDefinition(
    request('typeDefinition', ({ textDocument, position }) => {
      const doc = docOf(textDocument.uri);
      return doc ? getTypeDefinition(doc, toOffset(doc.lines, position)).map((s) => ({ uri: textDocument.uri, range: toRange(doc.lines, s) })) : null;
    }),
  );

  connection.onReferences(
    request('references', ({ textDocument, position, context }) => {
      const doc = docOf(textDocument.uri);
      const spans = doc ? getReferences(doc, toOffset(doc.lines, position), { includeDeclaration: context.includeDeclaration }) : [];
      return doc ? spans.map((s) => ({ uri: textDocument.uri, range: toRange(doc.lines, s) })) : null;
    }),
  );

  connection.onDocumentHighlight(
    request('documentHighlight', ({ textDocument, position }) => {
      const doc = docOf(textDocument.uri);
      const kinds = { read: DocumentHighlightKind.Read, write: DocumentHighlightKind.Write, text: DocumentHighlightKind.Text };
      return doc ? getDocumentHighlights(doc, toOffset(doc.lines, position)).map((h) => ({ range: toRange(doc.lines, h.span), kind: kinds[h.kind] })) : null;
    }),
  );

  connection.onPrepareRename(
    request('prepareRename', ({ textDocument, position }) => {
      const doc = docOf(textDocument.uri);
      if (!doc) return null;
      const res = prepareRename(doc, toOffset(doc.lines, position));
      if ('error' in res) throw new ResponseError(ErrorCodes.InvalidRequest, res.error);
      return { range: toRange(doc.lines, res.span), placeholder: res.placeholder };
    }),
  );

  connection.onRenameRequest(
    request('rename', ({ textDocument, position, newName }) => {
      const doc = docOf(textDocument.uri);
      if (!doc) return null;
      const res = getRename(doc, toOffset(doc.lines, position), newName);
      if ('error' in res) throw new ResponseError(ErrorCodes.InvalidRequest, res.error);
      return { changes: { [textDocument.uri]: res.edits.map((e) => toTextEdit(doc.lines, e)) } };
    }),
  );

  connection.onDocumentSymbol(
    request('documentSymbol', ({ textDocument }) => {
      const doc = docOf(textDocument.uri);
      return doc ? getDocumentSymbols(doc).map((s) => toLspSymbol(doc.lines, s)) : null;
    }),
  );

  connection.onFoldingRanges(
    request('foldingRange', ({ textDocument }) => {
      const doc = docOf(textDocument.uri);
      return doc ? getFoldingRanges(doc).map((r) => toLspFolding(doc.lines, r)) : null;
    }),
  );

  connection.languages.semanticTokens.on(
    request('semanticTokens', ({ textDocument }) => {
      const doc = docOf(textDocument.uri);
      return doc ? encodeSemanticTokens(doc.lines, getSemanticTokens(doc)) : { data: [] };
    }),
  );

  connection.onWorkspaceSymbol(
    request('workspaceSymbol', ({ query }) => {
      const res: SymbolInformation[] = [];
      const open = new Map(session.documents.all().map((d) => [d.uri, d]));
      for (const path of session.workspace.flowFiles()) {
        const uri = pathToFileURL(path).href;
        const text = open.get(uri)?.getText() ?? session.workspace.readFile(path);
        if (text === undefined) continue;
        const outline = workspaceSymbolsOf(path, text);
        for (const { symbol: s, container } of matchWorkspaceSymbols(outline.symbols, query)) {
          res.push({ name: s.name, kind: symbolKinds[s.kind], location: { uri, range: toRange(outline.lines, s.selection) }, containerName: container });
        }
        if (res.length > 1000) break;
      }
      return res;
    }),
  );
}

/** Outlines of workspace files by path, reused while the text is unchanged (workspace symbols parse every file). */
const outlineCache = new Map<string, { text: string; lines: LineIndex; symbols: DocumentSymbol[] }>();

function workspaceSymbolsOf(path: string, text: string): { lines: LineIndex; symbols: DocumentSymbol[] } {
  const hit = outlineCache.get(path);
  if (hit && hit.text === text) return hit;
  const entry = { text, lines: new Lines(text), symbols: workspaceOutline(text) };
  outlineCache.set(path, entry);
  return entry;
}

const completionKinds: Record<CompletionItem['kind'], CompletionItemKind> = {
  keyword: CompletionItemKind.Keyword,
  step: CompletionItemKind.Function,
  artifact: CompletionItemKind.Variable,
  param: CompletionItemKind.Constant,
  type: CompletionItemKind.Class,
  field: CompletionItemKind.Field,
  decorator: CompletionItemKind.Event,
  argument: CompletionItemKind.Property,
  unit: CompletionItemKind.Unit,
  template: CompletionItemKind.Variable,
  value: CompletionItemKind.Value,
  snippet: CompletionItemKind.Snippet,
};

const symbolKinds: Record<DocumentSymbol['kind'], SymbolKind> = {
  flow: SymbolKind.Class,
  type: SymbolKind.Struct,
  field: SymbolKind.Field,
  step: SymbolKind.Function,
  param: SymbolKind.Constant,
  input: SymbolKind.Variable,
  output: SymbolKind.Property,
  artifact: SymbolKind.Variable,
  item: SymbolKind.Variable,
  image: SymbolKind.String,
};

function toLspSymbol(lines: LineIndex, s: DocumentSymbol): LspDocumentSymbol {
  return {
    name: s.name,
    detail: s.detail,
    kind: symbolKinds[s.kind],
    range: toRange(lines, s.span),
    selectionRange: toRange(lines, s.selection),
    children: s.children.map((c) => toLspSymbol(lines, c)),
  };
}

function toLspFolding(lines: LineIndex, r: { start: number; end: number; kind?: 'comment' | 'region' }): LspFoldingRange {
  const start = lines.position(r.start).line;
  let end = lines.position(r.end).line;
  // Keep the closing brace visible: fold up to the line before it when the range ends with `}`.
  if (lines.text[r.end - 1] === '}' && end > start) end--;
  const res: LspFoldingRange = { startLine: start, endLine: end };
  if (r.kind === 'comment') res.kind = FoldingRangeKind.Comment;
  else if (r.kind === 'region') res.kind = FoldingRangeKind.Region;
  return res;
}

/** LSP's relative encoding: five integers per token (line delta, start delta, length, type, modifier bits). */
function encodeSemanticTokens(lines: LineIndex, tokens: SemanticToken[]): SemanticTokens {
  const data: number[] = [];
  let prevLine = 0;
  let prevChar = 0;
  for (const t of tokens) {
    const pos = lines.position(t.start);
    const end = lines.position(t.start + t.length);
    if (end.line !== pos.line) continue;
    const type = semanticTokenTypes.indexOf(t.type);
    let mods = 0;
    for (const m of t.modifiers) mods |= 1 << semanticTokenModifiers.indexOf(m);
    data.push(pos.line - prevLine, pos.line === prevLine ? pos.character - prevChar : pos.character, t.length, type, mods);
    prevLine = pos.line;
    prevChar = pos.character;
  }
  return { data };
}

/**
 * The diagnostic of the request's context that a core diagnostic (code and span) stands for: by the `data` the
 * server attached when it published it, else by code and range (a client that drops `data`).
 */
function clientDiagnostic(lines: LineIndex, sent: readonly LspDiagnostic[], d: { code: string; start: number; end: number }): LspDiagnostic | undefined {
  const byData = sent.find((c) => {
    const data = c.data as { start?: unknown; end?: unknown; code?: unknown } | undefined;
    return data?.code === d.code && data.start === d.start && data.end === d.end;
  });
  if (byData) return byData;
  const range = toRange(lines, d);
  const same = (a: { line: number; character: number }, b: { line: number; character: number }) => a.line === b.line && a.character === b.character;
  return sent.find((c) => c.code === d.code && same(c.range.start, range.start) && same(c.range.end, range.end));
}
