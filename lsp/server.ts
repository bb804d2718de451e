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
  DidChangeWatchedFilesNotification,
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
import { getDiagnostics, type DocumentDiagnostics } from '../compiler/ide/get-diagnostics.ts';
import { LineIndex } from '../diagnostics/line-index.ts';
import { largeDocumentSize, OffThread, type Outcome } from './large-documents.ts';
import { toLspDiagnostic } from './convert.ts';
import { registerFeatures, semanticTokensLegend } from './features.ts';
import { pathOf, Workspace } from './workspace.ts';
import { pathToFileURL } from 'node:url';
import { targetChecks } from '../targets/registry.ts';
import { milestone } from './timing.ts';

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
  const offThread = new OffThread(log);

  function ideDocument(uri: string): IdeDocument | undefined {
    const td = documents.get(uri);
    if (!td) return undefined;
    const hit = cache.get(uri);
    if (hit && hit.version === td.version) return hit.doc;
    const doc = analyse(uri, td.getText());
    cache.set(uri, { version: td.version, doc });
    return doc;
  }

  /** A flow's text under the file name and config that apply to it, checked as `flowc check` would. */
  function analyse(uri: string, text: string): IdeDocument {
    const { file, config } = workspace.contextFor(uri);
    return createIdeDocument(text, { file, config, targets: targetChecks });
  }

  function publishDiagnostics(uri: string): void {
    const td = documents.get(uri);
    if (!td) return;
    const version = td.version;
    // Never publish over a newer version: the document may have changed while we analysed.
    const current = () => documents.get(uri)?.version === version;
    const text = td.getText();
    if (text.length >= largeDocumentSize) {
      void offThread.diagnostics(uri, version, text, () => workspace.contextFor(uri)).then((outcome) => publishOutcome(uri, text, version, current, outcome));
      return;
    }
    publish(uri, () => ideDocument(uri)!, version, current);
  }

  /** Checks a workspace file that is not open, from its text on disk; clears its diagnostics when it is gone. */
  function publishFromDisk(uri: string): void {
    if (documents.get(uri)) return;
    // Queued before its folder left the workspace.
    if (!workspace.isWorkspaceFlow(uri)) {
      if (fromDisk.has(uri)) forget(uri);
      return;
    }
    const path = pathOf(uri);
    const text = path === undefined ? undefined : workspace.readFile(path);
    if (text === undefined) return forget(uri);
    fromDisk.add(uri);
    const current = () => !documents.get(uri) && workspace.isWorkspaceFlow(uri);
    if (text.length >= largeDocumentSize) {
      void offThread.check(uri, text, () => workspace.contextFor(uri)).then((outcome) => publishOutcome(uri, text, undefined, current, outcome));
      return;
    }
    publish(uri, () => analyse(uri, text), undefined, current);
  }

  /** Publishes what the worker computed for a large document, when it still applies. */
  function publishOutcome(uri: string, text: string, version: number | undefined, current: () => boolean, outcome: Outcome<DocumentDiagnostics>): void {
    if ('error' in outcome) log(`flowc: diagnostics failed for ${uri}: ${outcome.error.message}`);
    else if ('result' in outcome && current()) send(uri, version, new LineIndex(text), outcome.result);
  }

  /**
   * Publishes the diagnostics of one flow file (open, or read from disk) and of the `flowc.yaml` it uses.
   * `current` says whether the result still applies once computed (the document may have changed meanwhile).
   */
  function publish(uri: string, analyse: () => IdeDocument, version: number | undefined, current: () => boolean): void {
    let result, lines;
    try {
      const doc = analyse();
      result = getDiagnostics(doc);
      lines = doc.lines;
    } catch (err) {
      log(`flowc: diagnostics failed for ${uri}: ${describe(err)}`);
      return;
    }
    if (current()) send(uri, version, lines, result);
  }

  function send(uri: string, version: number | undefined, lines: LineIndex, result: DocumentDiagnostics): void {
    const diagnostics = result.own.map((d) => toLspDiagnostic(lines, d, uri, (f) => workspace.uriOfFile(uri, f)));
    void connection.sendDiagnostics({ uri, version, diagnostics });
    if (firstPublish) {
      firstPublish = false;
      milestone('server', 'first diagnostics sent');
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
      // Two turns: an immediate queued while a message is read runs before the loop polls its input again; the
      // second one runs after that poll, so a `$/cancelRequest` written just after the request has been read.
      await new Promise<void>((resolve) => setImmediate(() => setImmediate(resolve)));
      if (token.isCancellationRequested) return new ResponseError(LSPErrorCodes.RequestCancelled, `${name} was cancelled.`);
      // A request about a large document is answered by the worker that analyses it (large-documents.ts).
      const uri = (params as { textDocument?: { uri?: unknown }; uri?: unknown } | null)?.textDocument?.uri ?? (params as { uri?: unknown } | null)?.uri;
      const td = typeof uri === 'string' ? documents.get(uri) : undefined;
      if (td && td.getText().length >= largeDocumentSize) {
        const outcome = await offThread.request(td.uri, td.version, td.getText(), () => workspace.contextFor(td.uri), name, params);
        if ('result' in outcome) return token.isCancellationRequested ? new ResponseError(LSPErrorCodes.RequestCancelled, `${name} was cancelled.`) : (outcome.result as R);
        if ('cancelled' in outcome) return new ResponseError(LSPErrorCodes.ContentModified, `${name}: the document changed.`);
        if (outcome.error.code === ErrorCodes.InternalError) log(`flowc: ${name} failed: ${outcome.error.message}`);
        return new ResponseError(outcome.error.code, outcome.error.message);
      }
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

  let watchRegistration = false;
  /** For the start-up milestones (see timing.ts). */
  let firstOpen = true;
  let firstPublish = true;
  let initializeReceived = false;
  const session: Session = { connection, documents, workspace, ideDocument, request };

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    milestone('server', 'initialize received');
    initializeReceived = true;
    const init = (params.initializationOptions ?? {}) as { debounceMs?: unknown; workspaceDiagnostics?: unknown };
    if (typeof init.debounceMs === 'number' && init.debounceMs >= 0) debounceMs = init.debounceMs;
    if (init.workspaceDiagnostics === false) checkWorkspace = false;
    watchRegistration = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    folderEvents = params.capabilities.workspace?.workspaceFolders === true;
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
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'flowc', version: serverVersion },
    };
  });

  // `TextDocuments` reports an open as a content change too: check a newly opened document at once, not debounced.
  const justOpened = new Set<string>();
  documents.onDidOpen((e) => {
    if (firstOpen) milestone('server', 'first didOpen received');
    firstOpen = false;
    justOpened.add(e.document.uri);
    fromDisk.delete(e.document.uri);
    schedule(e.document.uri, 0);
  });
  documents.onDidChangeContent((e) => {
    // Cancels the worker's jobs about older versions (or all, when the document is no longer large).
    offThread.update(e.document.uri, e.document.getText().length >= largeDocumentSize ? e.document.version : undefined);
    if (justOpened.delete(e.document.uri)) return;
    schedule(e.document.uri, debounceMs);
  });
  /** Clears the diagnostics of a flow file, and of a `flowc.yaml` only it reported into. */
  function forget(uri: string): void {
    fromDisk.delete(uri);
    void connection.sendDiagnostics({ uri, diagnostics: [] });
    for (const [configUri, users] of configPublished) {
      if (users.delete(uri) && users.size === 0) {
        configPublished.delete(configUri);
        void connection.sendDiagnostics({ uri: configUri, diagnostics: [] });
      }
    }
  }

  documents.onDidClose((e) => {
    const uri = e.document.uri;
    offThread.update(uri, undefined);
    clearTimeout(timers.get(uri));
    timers.delete(uri);
    cache.delete(uri);
    // A workspace file goes back to its text on disk (the buffer may have been closed without saving).
    if (workspace.isWorkspaceFlow(uri)) diskChecks.add([uri]);
    else forget(uri);
  });

  // Workspace diagnostics: every `.flow` file of the workspace folders is checked from disk at start, and again
  // when it changes on disk, one file per turn of the event loop (requests and open documents go first).
  const diskChecks = new WorkQueue(publishFromDisk);
  let checkWorkspace = true;
  /** Files not open whose diagnostics were published from their text on disk. */
  const fromDisk = new Set<string>();
  let folderEvents = false;

  connection.onInitialized(() => {
    if (watchRegistration) {
      void connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: [{ globPattern: '**/*.flow' }, { globPattern: '**/flowc.{yaml,yml}' }],
      });
    }
    if (checkWorkspace) diskChecks.add(workspace.flowFiles().map((p) => pathToFileURL(p).href));
    // Folders added to the workspace are checked like those it started with; the files of a folder removed are
    // cleared, unless open or still inside another folder.
    if (folderEvents) {
      connection.workspace.onDidChangeWorkspaceFolders((e) => {
        const added = workspace.changeFolders(e.added.map((f) => f.uri), e.removed.map((f) => f.uri));
        // File names in messages are relative to the folder: open documents may read differently now.
        cache.clear();
        for (const td of documents.all()) schedule(td.uri, 0);
        for (const uri of [...fromDisk]) if (!documents.get(uri) && !workspace.isWorkspaceFlow(uri)) forget(uri);
        if (checkWorkspace) diskChecks.add(workspace.flowFiles(added).map((p) => pathToFileURL(p).href));
      });
    }
  });

  connection.onDidChangeWatchedFiles((e) => {
    let configChanged = false;
    const flows: string[] = [];
    for (const change of e.changes) {
      if (workspace.invalidate(change.uri)) configChanged = true;
      else if (checkWorkspace && workspace.isWorkspaceFlow(change.uri)) flows.push(change.uri);
    }
    if (configChanged) {
      // A flowc.yaml changed: every flow may check differently now.
      cache.clear();
      for (const td of documents.all()) schedule(td.uri, debounceMs);
      if (checkWorkspace) diskChecks.add(workspace.flowFiles().map((p) => pathToFileURL(p).href));
    }
    // Created, changed or deleted (then read as missing, which clears it).
    diskChecks.add(flows);
  });

  registerFeatures(session);
  documents.listen(connection);
  connection.listen();
  // While the editor gets ready to talk (VS Code starts the server as it loads the extension, 100-200 ms before the
  // client's `initialize`), analyse a small flow once, so that the first real check runs on compiled code and a
  // built parser. In steps, one per turn of the event loop, given up once `initialize` has come: a message from
  // the client waits for one step at most (issue 14, start-up: after `initialized`, the first `didOpen` waited for
  // the whole warm-up).
  const warmUp = createIdeDocument(warmUpFlow, { file: 'warm-up.flow', targets: targetChecks });
  const warmUpSteps = [() => warmUp.parsed, () => warmUp.analysis, () => getDiagnostics(warmUp)];
  const nextWarmUpStep = () => {
    if (initializeReceived || documents.all().length > 0) return;
    try {
      warmUpSteps.shift()!();
    } catch (err) {
      log(`flowc: warm-up failed: ${describe(err)}`);
      warmUpSteps.length = 0;
    }
    if (warmUpSteps.length > 0) setImmediate(nextWarmUpStep);
    else milestone('server', 'warmed up');
  };
  setImmediate(nextWarmUpStep);
}

/** A small flow using most of the language: analysed once at start so the first real check runs warm. */
const warmUpFlow = `@schedule(cron: "0 * * * *")
flow WarmUp {
  image "python:3.12-slim"
  param n: int = 1
  step start {
    in n: int
    out xs: [int]
    python "xs = [n]"
    next each foreach x in xs
  }
  @resources(cpu: 1, memory: 512MiB)
  step each {
    in x: int
    out y: int
    run "echo {{in.x}} > {{out.y}}"
    next join
  }
  step join {
    in y: [int]
    out total: int
    python "total = sum(y)"
    next switch total { 0 -> end, else -> end }
  }
  step end {}
}
`;

/** A set of URIs worked off one per turn of the event loop, in the order added (a URI queued twice runs once). */
class WorkQueue {
  private readonly pending = new Set<string>();
  private running = false;

  constructor(private readonly work: (uri: string) => void) {}

  add(uris: Iterable<string>): void {
    for (const uri of uris) this.pending.add(uri);
    if (!this.running && this.pending.size > 0) {
      this.running = true;
      setImmediate(() => this.next());
    }
  }

  private next(): void {
    const uri = this.pending.values().next().value;
    if (uri === undefined) {
      this.running = false;
      return;
    }
    this.pending.delete(uri);
    this.work(uri);
    setImmediate(() => this.next());
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? (err.stack ?? err.message) : String(err);
}

declare const __FLOWC_VERSION__: string | undefined;
const serverVersion = typeof __FLOWC_VERSION__ === 'string' ? __FLOWC_VERSION__ : '0.0.0-dev';
