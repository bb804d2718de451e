/**
 * Large documents are analysed off the main thread, so the server keeps answering while it checks one (issue 14:
 * a hover within 100 ms while a large file is analysed). Their diagnostics and every request about them run in a
 * worker thread that holds their `IdeDocument`s; small documents stay on the main thread, where nothing waits.
 *
 * - The worker runs this very module (`new Worker(import.meta.url)`, as `cli/check-parallel.ts` does: in the
 *   bundle, the chunk or file this code landed in); its top-level code below starts the worker only inside it.
 *   It registers the same request handlers as the server (`registerFeatures`) against a connection that records
 *   them, so a request gives the same answer on either thread.
 * - Jobs run one at a time, in the order sent. A newer version of a document, or its closing, cancels the jobs
 *   of older versions: when one of them is queued or running, the worker is ended (a synchronous analysis cannot
 *   be interrupted otherwise) and a new one takes the remaining jobs; the cancelled ones answer `cancelled`.
 * - A worker that dies (out of memory on a pathological file) fails its jobs; the next job starts a new one.
 */
import { isMainThread, parentPort, Worker, workerData, type MessagePort } from 'node:worker_threads';
import { ResponseError, type CancellationToken, type Connection } from 'vscode-languageserver/node';
import type { FlowcConfig } from '../compiler/config-types.ts';
import { createIdeDocument, type IdeDocument } from '../compiler/ide/document.ts';
import { getDiagnostics, type DocumentDiagnostics } from '../compiler/ide/get-diagnostics.ts';
import { targetChecks } from '../targets/registry.ts';
import { registerFeatures } from './features.ts';
import type { Session } from './server.ts';

/**
 * Documents of at least this many UTF-16 code units are analysed in the worker. Analysis runs at about 3 µs per
 * character (`npm run bench`), so this is about 150 ms of work: below it, a blocked main thread is barely seen.
 */
export const largeDocumentSize = 50_000;

/** What a document is analysed under (`Workspace.contextFor`). */
export interface DocumentContext {
  file: string;
  config: FlowcConfig;
}

export type Outcome<R> = { result: R } | { error: { code: number; message: string } } | { cancelled: true };

interface JobMessage {
  id: number;
  /** `request`: a request handler by name; `diagnostics`: the document's; `check`: a file from disk, not kept. */
  kind: 'request' | 'diagnostics' | 'check';
  uri: string;
  version: number;
  /** Sent when the worker does not hold this version of the document yet. */
  text?: string;
  context?: DocumentContext;
  name?: string;
  params?: unknown;
}

type ForgetMessage = { forget: string };

interface Job {
  message: JobMessage;
  text: string;
  context: () => DocumentContext;
  resolve: (outcome: Outcome<unknown>) => void;
}

export class OffThread {
  private worker: Worker | undefined;
  /** The version of each document the current worker holds. */
  private readonly held = new Map<string, number>();
  /** Jobs sent to the current worker and not yet answered, oldest (the running one) first. */
  private jobs: Job[] = [];
  private nextId = 1;

  constructor(private readonly log: (message: string) => void) {}

  /** A request about a version of a large document, answered by the handler registered under `name`. */
  request(uri: string, version: number, text: string, context: () => DocumentContext, name: string, params: unknown): Promise<Outcome<unknown>> {
    return this.submit({ kind: 'request', uri, version, name, params }, text, context);
  }

  /** The diagnostics of a version of an open large document. */
  diagnostics(uri: string, version: number, text: string, context: () => DocumentContext): Promise<Outcome<DocumentDiagnostics>> {
    return this.submit({ kind: 'diagnostics', uri, version }, text, context) as Promise<Outcome<DocumentDiagnostics>>;
  }

  /** The diagnostics of a large file read from disk (not open; nothing is kept). */
  check(uri: string, text: string, context: () => DocumentContext): Promise<Outcome<DocumentDiagnostics>> {
    return this.submit({ kind: 'check', uri, version: -1 }, text, context) as Promise<Outcome<DocumentDiagnostics>>;
  }

  /**
   * A document changed (its new version) or closed or is no longer large (undefined): jobs about other versions
   * are cancelled, ending the worker if one of them is queued or running.
   */
  update(uri: string, version: number | undefined): void {
    const stale = (j: Job) => j.message.uri === uri && j.message.kind !== 'check' && j.message.version !== version;
    if (this.jobs.some(stale)) {
      const keep = this.jobs.filter((j) => !stale(j));
      for (const j of this.jobs.filter(stale)) j.resolve({ cancelled: true });
      this.restart(keep);
    } else if (version === undefined && this.held.has(uri)) {
      this.held.delete(uri);
      this.worker?.postMessage({ forget: uri } satisfies ForgetMessage);
    }
  }

  dispose(): void {
    for (const j of this.jobs) j.resolve({ cancelled: true });
    this.jobs = [];
    void this.worker?.terminate();
    this.worker = undefined;
  }

  private submit(message: Omit<JobMessage, 'id'>, text: string, context: () => DocumentContext): Promise<Outcome<unknown>> {
    return new Promise((resolve) => this.send({ message: { ...message, id: this.nextId++ }, text, context, resolve }));
  }

  private send(job: Job): void {
    const worker = (this.worker ??= this.start());
    const { message } = job;
    if (message.kind === 'check' || this.held.get(message.uri) !== message.version) {
      message.text = job.text;
      message.context = job.context();
      if (message.kind !== 'check') this.held.set(message.uri, message.version);
    } else {
      delete message.text;
      delete message.context;
    }
    this.jobs.push(job);
    worker.postMessage(message);
  }

  /** Ends the worker and hands `keep` to a new one. */
  private restart(keep: Job[]): void {
    const old = this.worker;
    this.worker = undefined;
    this.held.clear();
    this.jobs = [];
    if (old) void old.terminate();
    for (const job of keep) this.send(job);
  }

  private start(): Worker {
    const worker = new Worker(new URL(import.meta.url), { workerData: { flowcLspWorker: true } });
    // The server's process ends when its client says so, whatever the worker does.
    worker.unref();
    worker.on('message', (m: { id: number } & Outcome<unknown>) => {
      if (this.worker !== worker) return;
      const at = this.jobs.findIndex((j) => j.message.id === m.id);
      if (at < 0) return;
      const [job] = this.jobs.splice(at, 1);
      job.resolve('result' in m ? { result: m.result } : 'error' in m ? { error: m.error } : { cancelled: true });
    });
    const failAll = (why: string) => {
      if (this.worker !== worker) return;
      this.log(`flowc: the analysis worker stopped: ${why}`);
      const jobs = this.jobs;
      this.worker = undefined;
      this.held.clear();
      this.jobs = [];
      for (const j of jobs) j.resolve({ error: { code: -32603, message: `flowc: the analysis of ${j.message.uri} failed: ${why}` } });
    };
    worker.on('error', (err) => failAll(err instanceof Error ? (err.stack ?? err.message) : String(err)));
    worker.on('exit', (code) => failAll(`exit code ${code}`));
    return worker;
  }
}

/** The worker's side: documents by URI (the versions the main thread sent), and the recorded request handlers. */
function runWorker(port: MessagePort): void {
  const docs = new Map<string, { version: number; doc: IdeDocument }>();
  const handlers = new Map<string, (params: unknown, token: CancellationToken) => unknown>();
  // Accepts every registration (`connection.onHover(...)`, `connection.languages.semanticTokens.on(...)`) and does
  // nothing with it: the handlers are recorded by `request` below, by name.
  const sink: Connection = new Proxy(function () {}, { get: () => sink, apply: () => undefined }) as unknown as Connection;
  const session = {
    connection: sink,
    ideDocument: (uri: string) => docs.get(uri)?.doc,
    request: <P, R>(name: string, handler: (params: P, token: CancellationToken) => R | Promise<R>) => {
      handlers.set(name, handler as (params: unknown, token: CancellationToken) => unknown);
      return handler;
    },
  } as unknown as Session;
  registerFeatures(session);
  const never: CancellationToken = { isCancellationRequested: false, onCancellationRequested: () => ({ dispose() {} }) };
  const analyse = (text: string, context: DocumentContext) => createIdeDocument(text, { file: context.file, config: context.config, targets: targetChecks });

  port.on('message', async (m: JobMessage | ForgetMessage) => {
    if ('forget' in m) {
      docs.delete(m.forget);
      return;
    }
    try {
      if (m.kind === 'check') return port.postMessage({ id: m.id, result: getDiagnostics(analyse(m.text!, m.context!)) });
      if (m.text !== undefined) docs.set(m.uri, { version: m.version, doc: analyse(m.text, m.context!) });
      const held = docs.get(m.uri);
      if (!held || held.version !== m.version) return port.postMessage({ id: m.id, cancelled: true });
      if (m.kind === 'diagnostics') return port.postMessage({ id: m.id, result: getDiagnostics(held.doc) });
      const handler = handlers.get(m.name!);
      if (!handler) throw new Error(`no handler '${m.name}'`);
      port.postMessage({ id: m.id, result: await handler(m.params, never) });
    } catch (err) {
      const error = err instanceof ResponseError ? { code: err.code, message: err.message } : { code: -32603, message: err instanceof Error ? (err.stack ?? err.message) : String(err) };
      port.postMessage({ id: m.id, error });
    }
  });
}

if (!isMainThread && (workerData as { flowcLspWorker?: boolean } | null)?.flowcLspWorker === true) runWorker(parentPort!);
