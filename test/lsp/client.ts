/**
 * A JSON-RPC client for end-to-end tests: starts the real server process (`node bin/flowc.js lsp --stdio`,
 * the esbuild bundle) and speaks LSP to it over stdio, as an editor would.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type { Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { repoRoot } from '../helpers/golden.ts';

export interface TestClient {
  connection: MessageConnection;
  process: ChildProcess;
  /** Everything the server wrote to stderr (must stay empty of crashes). */
  stderr: () => string;
  /** Messages the server logged through `window/logMessage`. */
  logs: string[];
  /** The latest diagnostics published for a URI. */
  diagnostics: Map<string, PublishDiagnosticsParams>;
  /** Capabilities the server registered dynamically (`client/registerCapability`), by method. */
  registrations: { method: string; registerOptions?: unknown }[];
  /** Resolves with the next diagnostics for `uri` that satisfy `accept` (default: any). */
  nextDiagnostics(uri: string, accept?: (d: PublishDiagnosticsParams) => boolean, timeoutMs?: number): Promise<PublishDiagnosticsParams>;
  /** The latest diagnostics for `uri` if they satisfy `accept`, else the next that do. */
  diagnosticsFor(uri: string, accept?: (d: PublishDiagnosticsParams) => boolean, timeoutMs?: number): Promise<PublishDiagnosticsParams>;
  open(uri: string, text: string, version?: number): void;
  change(uri: string, version: number, text: string): void;
  close(uri: string): void;
  stop(): Promise<void>;
}

export function ensureBundle(): void {
  if (!existsSync(join(repoRoot, 'dist', 'flowc.js'))) spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: repoRoot, stdio: 'inherit' });
}

export const fileUri = (name: string) => pathToFileURL(join(repoRoot, 'test', 'lsp', 'virtual', name)).href;

export interface ClientOptions {
  rootUri?: string;
  debounceMs?: number;
  /** Arguments to `node` (default: the flowc CLI's `lsp --stdio`). */
  args?: string[];
  /** Set false to turn the server's checks of unopened workspace files off. */
  workspaceDiagnostics?: boolean;
  /** The Node binary (default: this process's) and extra environment of the server process. */
  node?: string;
  env?: Record<string, string>;
}

export async function startClient(options: ClientOptions = {}): Promise<TestClient> {
  if (!options.args) ensureBundle();
  const args = options.args ?? [join(repoRoot, 'bin', 'flowc.js'), 'lsp', '--stdio'];
  const child = spawn(options.node ?? process.execPath, args, { cwd: repoRoot, stdio: ['pipe', 'pipe', 'pipe'], env: options.env ? { ...process.env, ...options.env } : process.env });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  const connection = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const diagnostics = new Map<string, PublishDiagnosticsParams>();
  const waiters: { uri: string; accept: (d: PublishDiagnosticsParams) => boolean; resolve: (d: PublishDiagnosticsParams) => void }[] = [];
  const logs: string[] = [];
  connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
    diagnostics.set(params.uri, params);
    for (const w of [...waiters]) {
      if (w.uri === params.uri && w.accept(params)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(params);
      }
    }
  });
  connection.onNotification('window/logMessage', (p: { message: string }) => void logs.push(p.message));
  connection.onRequest('workspace/configuration', () => []);
  const registrations: { method: string; registerOptions?: unknown }[] = [];
  connection.onRequest('client/registerCapability', (p: { registrations: { method: string; registerOptions?: unknown }[] }) => {
    registrations.push(...p.registrations);
    return null;
  });
  connection.listen();
  function nextDiagnostics(uri: string, accept: (d: PublishDiagnosticsParams) => boolean = () => true, timeoutMs = 5000): Promise<PublishDiagnosticsParams> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`No diagnostics for ${uri} within ${timeoutMs} ms.`)), timeoutMs);
      waiters.push({ uri, accept, resolve: (d) => (clearTimeout(timer), resolve(d)) });
    });
  }
  await connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri: options.rootUri ?? null,
    workspaceFolders: options.rootUri ? [{ uri: options.rootUri, name: 'root' }] : null,
    capabilities: { textDocument: { publishDiagnostics: { versionSupport: true } }, workspace: { workspaceFolders: true, didChangeWatchedFiles: { dynamicRegistration: true } } },
    initializationOptions: { debounceMs: options.debounceMs ?? 20, workspaceDiagnostics: options.workspaceDiagnostics },
  });
  await connection.sendNotification('initialized', {});
  return {
    connection,
    process: child,
    stderr: () => stderr,
    logs,
    diagnostics,
    registrations,
    diagnosticsFor(uri, accept = () => true, timeoutMs = 5000) {
      const latest = diagnostics.get(uri);
      return latest && accept(latest) ? Promise.resolve(latest) : nextDiagnostics(uri, accept, timeoutMs);
    },
    nextDiagnostics,
    open(uri, text, version = 1) {
      void connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'flow', version, text } });
    },
    change(uri, version, text) {
      void connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
    },
    close(uri) {
      void connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
    },
    async stop() {
      if (child.exitCode === null) {
        try {
          await connection.sendRequest('shutdown');
          await connection.sendNotification('exit');
        } catch {
          // The process may already be gone.
        }
      }
      await new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const timer = setTimeout(() => (child.kill(), resolve()), 2000);
        child.once('exit', () => (clearTimeout(timer), resolve()));
      });
      connection.dispose();
    },
  };
}

export type { Diagnostic };
