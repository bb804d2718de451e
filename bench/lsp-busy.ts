/**
 * The language server while it checks a large file: a large flow is opened (or, with workspace diagnostics, lies
 * on disk in the workspace), and right after that a hover is asked on a small open flow. Prints how long that
 * hover took, and how long the large file's diagnostics took to arrive. Sizes: a flow of about 1 MB (analysed in
 * full) and one of about 5 MB (over the editor's analysis limit: parsed only, see compiler/ide/document.ts).
 * Issue 14's goal: the hover within 100 ms. Over stdio against the real bundle (`bin/flowc.js lsp --stdio`); nothing
 * asserts on these numbers.
 *
 * Run: `node scripts/build.mjs && node --import tsx bench/lsp-busy.ts [MB...]` (default 1 5); also run by `npm run bench`.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { generateFlow } from './gen.ts';
import { startClient } from '../test/lsp/client.ts';

const megabytes = process.argv.slice(2).map(Number).filter((n) => n > 0);
const small = generateFlow('linear', 10);
const perStep = generateFlow('linear', 1000).length / 1000;
const flowOfSize = (mb: number) => generateFlow('linear', Math.round((mb * 1_000_000) / perStep));
const hoverAt = { line: small.split('\n').findIndex((l) => l.includes('in v0: int')), character: 8 };

type Mode = 'opened' | 'on disk';

async function busyHover(mb: number, mode: Mode): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'flowc-lsp-busy-'));
  mkdirSync(join(dir, '.git'));
  const big = flowOfSize(mb);
  const bigUri = pathToFileURL(join(dir, 'big.flow')).href;
  const smallUri = pathToFileURL(join(dir, 'small.flow')).href;
  writeFileSync(join(dir, 'small.flow'), small);
  const client = await startClient({ debounceMs: 0, rootUri: pathToFileURL(dir).href, workspaceDiagnostics: mode === 'on disk' });
  try {
    const smallReady = client.diagnosticsFor(smallUri, () => true, 60_000);
    client.open(smallUri, small);
    await smallReady;
    const bigDone = client.diagnosticsFor(bigUri, () => true, 600_000);
    const t0 = performance.now();
    if (mode === 'opened') client.open(bigUri, big);
    else {
      // Created on disk after the workspace scan: the file watcher's event has the server check it.
      writeFileSync(join(dir, 'big.flow'), big);
      await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: bigUri, type: 1 }] });
    }
    // Let the server start on the large file (reading it, or the workspace scan reaching it).
    await new Promise((r) => setTimeout(r, 50));
    const t1 = performance.now();
    const hover = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: smallUri }, position: hoverAt })) as { contents?: unknown } | null;
    const hoverMs = performance.now() - t1;
    if (!hover?.contents) throw new Error('no hover on the small flow');
    await bigDone;
    const bigMs = performance.now() - t0;
    let own = '';
    if (mode === 'opened') {
      // A hover on the large flow itself, once checked: answered by the worker from the analysis it holds.
      const lines = big.split('\n');
      const line = lines.findIndex((l, i) => i > lines.length / 2 && l.includes('    in v'));
      const t2 = performance.now();
      await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: bigUri }, position: { line, character: 8 } });
      own = `; then a hover on the large flow itself ${(performance.now() - t2).toFixed(0)} ms`;
    }
    return `${(big.length / 1e6).toFixed(1)} MB flow ${mode === 'opened' ? 'opened' : 'in the workspace, never opened'}: hover on a small flow answered in ${hoverMs.toFixed(0)} ms; the large file's diagnostics after ${bigMs.toFixed(0)} ms${own}`;
  } finally {
    await client.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

for (const mb of megabytes.length ? megabytes : [1, 5]) {
  for (const mode of ['opened', 'on disk'] as Mode[]) console.log(await busyHover(mb, mode));
}
