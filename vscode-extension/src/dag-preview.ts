/** The DAG preview: a webview beside the editor, re-rendered from the server's `flowc/dag` answer as the flow is edited. */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { dagRequest, type DagParams, type DagResult } from '../../lsp/protocol.ts';
import { renderDagSvg } from './dag-svg.ts';

export class DagPreview implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private uri: string | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly client: () => LanguageClient | undefined) {
    this.subscriptions.push(
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (this.panel && e.document.uri.toString() === this.uri) this.schedule();
      }),
    );
  }

  show(uri: string): void {
    this.uri = uri;
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel('flowc.dag', 'Flow DAG', vscode.ViewColumn.Beside, { enableScripts: true });
      this.panel.onDidDispose(() => (this.panel = undefined), null, this.subscriptions);
      this.panel.webview.onDidReceiveMessage((msg: { line?: number }) => this.reveal(msg.line), null, this.subscriptions);
    }
    this.panel.reveal(vscode.ViewColumn.Beside, true);
    void this.refresh();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), 300);
  }

  private async refresh(): Promise<void> {
    const client = this.client();
    if (!this.panel || !this.uri || !client) return;
    const params: DagParams = { uri: this.uri };
    const res = await client.sendRequest<DagResult>(dagRequest, params);
    if (this.panel) this.panel.webview.html = this.html(res);
  }

  private reveal(line: number | undefined): void {
    const editor = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === this.uri);
    if (!editor || line === undefined) return;
    const pos = new vscode.Position(line, 0);
    editor.selection = new vscode.Selection(pos, pos);
    editor.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  private html(res: DagResult): string {
    const banner = res.errors > 0 ? `<p class="banner">The flow has ${res.errors} error(s); the graph may be incomplete.</p>` : '';
    const nonce = Array.from({ length: 32 }, () => Math.floor(Math.random() * 36).toString(36)).join('');
    const flows = res.flows.map((f) => `<h2>${f.name.replace(/[<>&]/g, '')}</h2>${renderDagSvg(f)}`).join('\n');
    return `<!DOCTYPE html><html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'nonce-${nonce}';">
<style>
body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); }
.banner { color: var(--vscode-errorForeground); }
.step rect { fill: var(--vscode-editor-background); stroke: var(--vscode-focusBorder); stroke-width: 1.5; cursor: pointer; }
.step.start rect, .step.end rect { stroke-width: 3; }
.step.join rect { stroke-dasharray: 4 2; }
.step text { fill: var(--vscode-foreground); font-size: 13px; pointer-events: none; }
.edge { stroke: var(--vscode-descriptionForeground); stroke-width: 1.5; }
.arrowhead { fill: var(--vscode-descriptionForeground); }
.label { fill: var(--vscode-descriptionForeground); font-size: 11px; }
</style></head><body>${banner}${flows || '<p>No flow in this document.</p>'}
<script nonce="${nonce}">
const vscode = acquireVsCodeApi();
document.querySelectorAll('.step').forEach((g) => g.addEventListener('click', () => vscode.postMessage({ line: Number(g.dataset.line) })));
</script></body></html>`;
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.panel?.dispose();
    for (const d of this.subscriptions) d.dispose();
  }
}
