/**
 * The flowc language server: document store, analysis cache, diagnostics scheduling, and the request table.
 *
 * Requests are stateless: the server holds open-document text and one `IdeDocument` per document version, and
 * every feature is a pure query in `compiler/ide/` (see `features.ts` for the five-line handlers).
 * Invariants:
 * - Diagnostics are published only for the newest version of a document (a slower, older analysis never
 *   overwrites a newer one) and cleared when the document closes.
 * - A failing feature fails only its own request (an error response, logged through `connection.console`);
 *   nothing in here writes to stdout, which carries the protocol.
 * - Every request first yields to the event loop so a `$/cancelRequest` sent meanwhile is seen; a cancelled
 *   request answers `RequestCancelled` without computing anything.
 */
import {
  ErrorCodes,
  LSPErrorCodes,
  ResponseError,
  TextDocumentSyncKind,
  TextDocuments,
  type CancellationToken,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { loadConfig } from '../compiler/config.ts';
import { createIdeDocument, type IdeDocument } from '../compiler/ide/document.ts';
import { getDiagnostics } from '../compiler/ide/get-diagnostics.ts';
import { toLspDiagnostic } from './convert.ts';
import { registerFeatures, semanticTokensLegend } from './features.ts';
import { Workspace } from './workspace.ts';
import { targetChecks } from '../targets/registry.ts';

export interface ServerOptions {
  /** Milliseconds between the last edit and the diagnostics run. */
  debounceMs?: number;
}

/** What the feature handlers see of the server. */
export interface Session {
  connection: Connection;
  documents: TextDocuments<TextDocument>;
  workspace: Workspace;
  /** The analysis of an open document's current version, or undefined when it is not open. */
  ideDocument(uri: string): IdeDocument | undefined;
  /** Wraps a request handler: cancellation, error isolation, logging. */
  request<P, R>(name: string, handler: (params: P, token: CancellationToken) => R | Promise<R>): (params: P, token: CancellationToken) => Promise<R | ResponseError<void>>;
}

export function startServer(connection: Connection, options: ServerOptions = {}): void {
  const documents = new TextDocuments(TextDocument);
  const workspace = new Workspace(connection);
  workspace.setConfigLoader(loadConfig);
  let debounceMs = options.debounceMs ?? 150;
  const cache = new Map<string, { version: number; doc: IdeDocument }>();
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Config files whose problems are currently published, by the flow URIs that reported them. */
  const configPublished = new Map<string, Set<string>>();

  const log = (message: string) => connection.console.error(message);

  function ideDocument(uri: string): IdeDocument | undefined {
    const td = documents.get(uri);
    if (!td) return undefined;
    const hit = cache.get(uri);
    if (hit && hit.version === td.version) return hit.doc;
    const { file, config } = workspace.contextFor(uri);
    const doc = createIdeDocument(td.getText(), { file, config, targets: targetChecks });
    cache.set(uri, { version: td.version, doc });
    return doc;
  }

  function publishDiagnostics(uri: string): void {
    const td = documents.get(uri);
    if (!td) return;
    const version = td.version;
    let result;
    try {
      const doc = ideDocument(uri)!;
      result = getDiagnostics(doc);
      // Never publish over a newer version: the document may have changed while we analysed.
      if (documents.get(uri)?.version !== version) return;
      const lines = doc.lines;
      const diagnostics = result.own.map((d) => toLspDiagnostic(lines, d, uri, (f) => workspace.uriOfFile(uri, f)));
      void connection.sendDiagnostics({ uri, version, diagnostics });
    } catch (err) {
      log(`flowc: diagnostics failed for ${uri}: ${describe(err)}`);
      return;
    }
    // The flowc.yaml that applies: its own problems plus those the flow reported into it.
    const configProblems = workspace.configDiagnostics(uri);
    if (configProblems.length > 0) {
      const file = configProblems[0].file!;
      result.other.set(file, [...configProblems, ...(result.other.get(file) ?? [])]);
    }
    const published = new Set<string>();
    for (const [file, list] of result.other) {
      const configUri = workspace.uriOfFile(uri, file);
      const lines = configUri && workspace.linesOf(configUri);
      if (!configUri || !lines) continue;
      published.add(configUri);
      const users = configPublished.get(configUri) ?? new Set();
      users.add(uri);
      configPublished.set(configUri, users);
      void connection.sendDiagnostics({ uri: configUri, diagnostics: list.map((d) => toLspDiagnostic(lines, d, configUri)) });
    }
    // A config this flow reported into before but no longer does (fixed, or no longer applies): clear it.
    for (const [configUri, users] of configPublished) {
      if (published.has(configUri) || !users.delete(uri)) continue;
      if (users.size === 0) {
        configPublished.delete(configUri);
        void connection.sendDiagnostics({ uri: configUri, diagnostics: [] });
      }
    }
  }

  function schedule(uri: string, delay: number): void {
    clearTimeout(timers.get(uri));
    timers.set(
      uri,
      setTimeout(() => {
        timers.delete(uri);
        publishDiagnostics(uri);
      }, delay),
    );
  }

  function request<P, R>(name: string, handler: (params: P, token: CancellationToken) => R | Promise<R>) {
    return async (params: P, token: CancellationToken): Promise<R | ResponseError<void>> => {
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (token.isCancellationRequested) return new ResponseError(LSPErrorCodes.RequestCancelled, `${name} was cancelled.`);
      try {
        const res = await handler(params, token);
        if (token.isCancellationRequested) return new ResponseError(LSPErrorCodes.RequestCancelled, `${name} was cancelled.`);
        return res;
      } catch (err) {
        // A refusal the user should see (e.g. "cannot rename"), not a failure.
        if (err instanceof ResponseError) return err as ResponseError<void>;
        log(`flowc: ${name} failed: ${describe(err)}`);
        return new ResponseError(ErrorCodes.InternalError, `flowc: ${name} failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    };
  }

  const session: Session = { connection, documents, workspace, ideDocument, request };

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const init = (params.initializationOptions ?? {}) as { debounceMs?: unknown };
    if (typeof init.debounceMs === 'number' && init.debounceMs >= 0) debounceMs = init.debounceMs;
    workspace.setFolders((params.workspaceFolders ?? []).map((f) => f.uri).concat(params.rootUri && !params.workspaceFolders ? [params.rootUri] : []));
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: false },
        completionProvider: { triggerCharacters: ['.', '@', ':', ' ', '{', '(', ','], resolveProvider: false },
        hoverProvider: true,
        definitionProvider: true,
        typeDefinitionProvider: true,
        referencesProvider: true,
        renameProvider: { prepareProvider: true },
        documentHighlightProvider: true,
        documentSymbolProvider: true,
        workspaceSymbolProvider: true,
        documentFormattingProvider: true,
        documentRangeFormattingProvider: false,
        foldingRangeProvider: true,
        selectionRangeProvider: true,
        semanticTokensProvider: { legend: semanticTokensLegend, full: true, range: false },
        codeActionProvider: { codeActionKinds: ['quickfix'] },
        inlayHintProvider: true,
        codeLensProvider: { resolveProvider: false },
        signatureHelpProvider: { triggerCharacters: ['(', ','], retriggerCharacters: [':'] },
      },
      serverInfo: { name: 'flowc', version: serverVersion },
    };
  });

  // `TextDocuments` reports an open as a content change too: check a newly opened document at once, not debounced.
  const justOpened = new Set<string>();
  documents.onDidOpen((e) => {
    justOpened.add(e.document.uri);
    schedule(e.document.uri, 0);
  });
  documents.onDidChangeContent((e) => {
    if (justOpened.delete(e.document.uri)) return;
    schedule(e.document.uri, debounceMs);
  });
  documents.onDidClose((e) => {
    const uri = e.document.uri;
    clearTimeout(timers.get(uri));
    timers.delete(uri);
    cache.delete(uri);
    void connection.sendDiagnostics({ uri, diagnostics: [] });
    for (const [configUri, users] of configPublished) {
      if (users.delete(uri) && users.size === 0) {
        configPublished.delete(configUri);
        void connection.sendDiagnostics({ uri: configUri, diagnostics: [] });
      }
    }
  });

  connection.onDidChangeWatchedFiles((e) => {
    let configChanged = false;
    for (const change of e.changes) if (workspace.invalidate(change.uri)) configChanged = true;
    if (!configChanged) return;
    // A flowc.yaml changed: every open flow may check differently now.
    cache.clear();
    for (const td of documents.all()) schedule(td.uri, debounceMs);
  });

  registerFeatures(session);
  documents.listen(connection);
  connection.listen();
}

function describe(err: unknown): string {
  return err instanceof Error ? (err.stack ?? err.message) : String(err);
}

declare const __FLOWC_VERSION__: string | undefined;
const serverVersion = typeof __FLOWC_VERSION__ === 'string' ? __FLOWC_VERSION__ : '0.0.0-dev';
