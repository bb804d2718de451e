/**
 * Starts the bundled language server as soon as VS Code begins to load the extension, before the rest of the
 * bundle (vscode-languageclient and its dependencies) is evaluated and before VS Code calls `activate`: the server's
 * own start (Node, then its bundle) then runs alongside them instead of after (issue 14: the first diagnostic within
 * 500 ms of opening a file). `extension.ts` imports this module first, so esbuild evaluates it first.
 *
 * Not when `flowc.path` names another server: `activate` starts that one as before. The process is handed to the
 * first language client; a restart spawns a new one.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import * as vscode from 'vscode';

let early: ChildProcess | undefined = start();

function start(): ChildProcess | undefined {
  try {
    if (vscode.workspace.getConfiguration('flowc').get<string>('path')?.trim()) return undefined;
    // The server sits beside this bundle (dist/); VS Code's own Node runs it, as vscode-languageclient would
    // (server.mjs keeps a code cache of the server bundle: src/server-main.ts).
    const child = spawn(process.execPath, [join(__dirname, 'server.mjs'), '--stdio'], {
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['pipe', 'pipe', 'pipe'],
      windowsHide: true,
    });
    // Until a client takes it: a server that cannot start is reported by the client's own start instead.
    child.on('error', () => {
      if (early === child) early = undefined;
    });
    return child;
  } catch {
    return undefined;
  }
}

/** The server process started early, once; undefined after the first call or when none was started. */
export function takeEarlyServer(): ChildProcess | undefined {
  const child = early;
  early = undefined;
  return child && child.exitCode === null && child.pid !== undefined ? child : undefined;
}
