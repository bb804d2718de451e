/** "Build for a target": asks the server (`flowc/build`) and opens each produced file in a new untitled tab. */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { buildRequest, type BuildParams, type BuildResult } from '../../lsp/protocol.ts';

export async function pickTarget(): Promise<string | undefined> {
  const picked = await vscode.window.showQuickPick(
    [
      { label: 'argo', description: 'Argo Workflows manifests (YAML)' },
      { label: 'batch', description: 'AWS Batch job definitions + Step Functions (JSON)' },
      { label: 'ir', description: 'flowc IR (JSON)' },
    ],
    { placeHolder: 'Build the flow for which target?' },
  );
  return picked?.label;
}

export async function buildIntoTabs(client: LanguageClient, uri: string, target: string): Promise<void> {
  const params: BuildParams = { uri, target };
  const res = await client.sendRequest<BuildResult>(buildRequest, params);
  if (res.files.length === 0) {
    const detail = res.problems.slice(0, 3).join(' ');
    void vscode.window.showErrorMessage(`flowc: cannot build for ${target}. ${detail}`);
    return;
  }
  for (const file of res.files) {
    const doc = await vscode.workspace.openTextDocument({ language: file.language, content: file.content });
    await vscode.window.showTextDocument(doc, { preview: false, viewColumn: vscode.ViewColumn.Beside });
  }
}
