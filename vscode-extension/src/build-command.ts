/** "Build for a target": asks the server (`flowc/build`) and opens each produced file in a new untitled tab. */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { buildRequest, targetsRequest, type BuildParams, type BuildResult, type TargetInfo } from '../../lsp/protocol.ts';

/** Asks the server which targets it builds for (`flowc/targets`), then lets the user pick one. */
export async function pickTarget(client: LanguageClient): Promise<string | undefined> {
  const targets = await client.sendRequest<TargetInfo[]>(targetsRequest, {});
  const picked = await vscode.window.showQuickPick(
    targets.map((t) => ({ label: t.name, description: t.summary })),
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
