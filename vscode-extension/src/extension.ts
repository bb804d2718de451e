/**
 * The flowc VS Code extension: launches the language server (bundled, or `flowc lsp --stdio` from the
 * `flowc.path` setting) and registers the commands that need the editor: build into a new tab, DAG preview, restart.
 * Everything about the language itself lives in the server.
 */
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { commandIds } from '../../lsp/protocol.ts';
import { buildIntoTabs, pickTarget } from './build-command.ts';
import { DagPreview } from './dag-preview.ts';

let client: LanguageClient | undefined;

function serverOptions(context: vscode.ExtensionContext): ServerOptions {
  const custom = vscode.workspace.getConfiguration('flowc').get<string>('path')?.trim();
  if (custom) return { command: custom, args: ['lsp', '--stdio'], transport: TransportKind.stdio };
  const module = context.asAbsolutePath('dist/server.mjs');
  return { module, transport: TransportKind.stdio, args: ['--stdio'] };
}

async function startClient(context: vscode.ExtensionContext): Promise<LanguageClient> {
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ language: 'flow' }],
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/{*.flow,flowc.yaml,flowc.yml}') },
    initializationOptions: { debounceMs: vscode.workspace.getConfiguration('flowc').get<number>('diagnostics.debounceMs') },
  };
  const created = new LanguageClient('flowc', 'flowc', serverOptions(context), clientOptions);
  await created.start();
  return created;
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  client = await startClient(context);
  const dag = new DagPreview(context, () => client);
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
      client = await startClient(context);
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
