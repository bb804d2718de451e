/**
 * Language-server latency, measured over stdio against the real bundled server (`node bin/flowc.js lsp --stdio`,
 * debounce 0 so the numbers are the server's own work):
 * - start-up to first diagnostics, per flow size;
 * - didChange → publishDiagnostics (median, p99) over a series of edits;
 * - completion after `in ` and hover on an input in the middle of the flow (median, p99);
 * - the server's resident memory after the first edits and after 1,000 edits (no growth expected).
 * Run: `node scripts/build.mjs && node --import tsx bench/lsp.ts [sizes...]` (default 100 1000 5000).
 */
import { execFileSync } from 'node:child_process';
import { generateFlow } from './gen.ts';
import { LineIndex } from '../diagnostics/line-index.ts';
import { fileUri, startClient, type TestClient } from '../test/lsp/client.ts';

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

for (const n of sizes.length ? sizes : [100, 1000, 5000]) for (const line of await benchSize(n)) console.log(line);
