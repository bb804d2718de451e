/**
 * The flowc VS Code extension: launches the language server (bundled, or `flowc lsp --stdio` from the
 * `flowc.path` setting) and registers the commands that need the editor: build into a new tab, DAG preview, restart.
 * Everything about the language itself lives in the server.
 */
// First: starts the server while the rest of this bundle is evaluated and VS Code prepares `activate`.
import { takeEarlyServer } from './early-server.ts';
import * as vscode from 'vscode';
import { join } from 'node:path';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { commandIds } from '../../lsp/protocol.ts';
import { milestone } from '../../lsp/timing.ts';
import { buildIntoTabs, pickTarget } from './build-command.ts';
import { DagPreview } from './dag-preview.ts';

declare global {
  // eslint-disable-next-line no-var
  var __flowcExtensionLoadStart: number | undefined;
}
if (globalThis.__flowcExtensionLoadStart) milestone('extension', 'bundle evaluation started', globalThis.__flowcExtensionLoadStart);
milestone('extension', 'bundle evaluated');

let client: LanguageClient | undefined;

/** The server `flowc.path` names, else the bundled one (`dist/server.mjs`, beside this bundle). */
function serverOptions(): ServerOptions {
  const custom = vscode.workspace.getConfiguration('flowc').get<string>('path')?.trim();
  if (custom) return { command: custom, args: ['lsp', '--stdio'], transport: TransportKind.stdio };
  return { module: join(__dirname, 'server.mjs'), transport: TransportKind.stdio, args: ['--stdio'] };
}

async function startClient(server: ServerOptions): Promise<LanguageClient> {
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ language: 'flow' }],
    // The server registers its own file watchers (`.flow` files and flowc.yaml) once initialized.
    initializationOptions: {
      debounceMs: vscode.workspace.getConfiguration('flowc').get<number>('diagnostics.debounceMs'),
      workspaceDiagnostics: vscode.workspace.getConfiguration('flowc').get<boolean>('diagnostics.workspace'),
    },
  };
  const created = new LanguageClient('flowc', 'flowc', server, clientOptions);
  await created.start();
  return created;
}

/**
 * The client of the server started early (early-server.ts), started as this bundle is evaluated rather than in
 * `activate`: VS Code calls `activate` only once it has prepared the extension's context, 60-200 ms later, and
 * the client needs none of it (issue 14, start-up). A failure is reported by `activate`.
 */
let starting: Promise<LanguageClient> | undefined = (() => {
  try {
    const early = takeEarlyServer();
    if (!early) return undefined;
    const started = startClient(() => Promise.resolve(early));
    started.catch(() => {});
    return started;
  } catch {
    return undefined;
  }
})();

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  milestone('extension', 'activate called');
  client = await (starting ?? startClient(serverOptions()));
  starting = undefined;
  milestone('extension', 'client started');
  const dag = new DagPreview(() => client);
  context.subscriptions.push(
    dag,
    vscode.commands.registerCommand(commandIds.build, async (uri?: string | vscode.Uri, target?: string) => {
      const docUri = uriString(uri);
      if (!client || !docUri) return;
      const chosen = target ?? (await pickTarget(client));
      if (chosen) await buildIntoTabs(client, docUri, chosen);
    }),
    vscode.commands.registerCommand(commandIds.showDag, (uri?: string | vscode.Uri) => {
      const docUri = uriString(uri);
      if (docUri) dag.show(docUri);
    }),
    vscode.commands.registerCommand(commandIds.restartServer, async () => {
      await client?.stop();
      client = await startClient(serverOptions());
    }),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (e.affectsConfiguration('flowc.path')) await vscode.commands.executeCommand(commandIds.restartServer);
    }),
  );
}

/** Code lenses pass the document URI as a string, menus as a `Uri`, the palette nothing (the active editor). */
function uriString(uri: string | vscode.Uri | undefined): string | undefined {
  if (typeof uri === 'string') return uri;
  return (uri ?? vscode.window.activeTextEditor?.document.uri)?.toString();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
