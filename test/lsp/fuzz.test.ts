/**
 * Fuzz: thousands of random edits of the samples sent to the real server as incremental changes, with requests
 * for every feature at random positions in between. The server must stay alive, answer every request, and fail
 * none with an internal error. Seeded, so a failure replays; bounded to a few seconds.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LineIndex } from '../../diagnostics/line-index.ts';
import { repoRoot } from '../helpers/golden.ts';
import { fileUri, startClient } from './client.ts';

const edits = Number(process.env.FUZZ_EDITS ?? 3000);
const seed = Number(process.env.FUZZ_SEED ?? 20261126);

/** A small deterministic PRNG (mulberry32). */
function rng(s: number) {
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const fragments = ['{', '}', '(', ')', '[', ']', '"', '"""', '{{', '}}', '{{in.', '@', '@resources(', ':', ',', '->', '?', '\n', ' ', 'step ', 'next ', 'in ', 'out ', 'foreach ', 'switch ', 'from ', 'flow ', 'type ', 'param ', 'python """\n', 'int', '[int]', '20GiB', '30m', '1e999', '//', '/*', '*/', '\\', '\u0000', '\uFEFF', '\uD83D', '😀', 'start', 'end', 'x'];
const methods = [
  'textDocument/completion',
  'textDocument/hover',
  'textDocument/definition',
  'textDocument/references',
  'textDocument/documentHighlight',
  'textDocument/prepareRename',
  'textDocument/documentSymbol',
  'textDocument/foldingRange',
  'textDocument/semanticTokens/full',
  'textDocument/codeAction',
  'textDocument/inlayHint',
  'textDocument/codeLens',
  'textDocument/formatting',
  'textDocument/signatureHelp',
  'flowc/dag',
];

test(`server survives ${edits} random edits`, async () => {
  const random = rng(seed);
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)];
  const samples = readdirSync(join(repoRoot, 'samples'))
    .filter((f) => f.endsWith('.flow'))
    .map((f) => readFileSync(join(repoRoot, 'samples', f), 'utf8'));
  const client = await startClient({ debounceMs: 5 });
  const failures: string[] = [];
  try {
    let docIdx = 0;
    let uri = fileUri(`fuzz-${docIdx}.flow`);
    let text = samples[0];
    let version = 1;
    client.open(uri, text, version);
    for (let i = 0; i < edits; i++) {
      if (i % 500 === 499) {
        // Switch to a fresh copy of another sample now and then.
        client.close(uri);
        docIdx++;
        uri = fileUri(`fuzz-${docIdx}.flow`);
        text = samples[docIdx % samples.length];
        version = 1;
        client.open(uri, text, version);
      }
      const lines = new LineIndex(text);
      const start = Math.floor(random() * (text.length + 1));
      const end = random() < 0.5 ? start : Math.min(text.length, start + Math.floor(random() * 12));
      const insert = random() < 0.8 ? pick(fragments) : String.fromCharCode(Math.floor(random() * 0xffff));
      const range = { start: lines.position(start), end: lines.position(end) };
      text = text.slice(0, start) + insert + text.slice(end);
      version++;
      void client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range, text: insert }] });
      if (i % 7 === 0) {
        const method = pick(methods);
        const position = new LineIndex(text).position(Math.floor(random() * (text.length + 1)));
        const params =
          method === 'flowc/dag'
            ? { uri }
            : { textDocument: { uri }, position, range: { start: position, end: position }, context: { includeDeclaration: true, diagnostics: [] }, options: { tabSize: 2, insertSpaces: true } };
        await client.connection.sendRequest(method, params).catch((err: { code?: number; message: string }) => {
          if (err.code !== -32600 && err.code !== -32601) failures.push(`${method} after edit ${i}: ${err.message}`);
        });
      }
    }
    // Still alive and answering, with diagnostics for the final text.
    const finalVersion = ++version;
    const last = client.nextDiagnostics(uri, (d) => d.version === finalVersion, 10000);
    client.change(uri, version, text);
    await last.catch((err: Error) => assert.unreachable(`${err.message}\nServer log:\n${client.logs.slice(-5).join('\n')}\n${client.stderr().slice(-2000)}`));
    const symbols = await client.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri } });
    assert.ok(Array.isArray(symbols));
    assert.is(client.process.exitCode, null);
    assert.equal(failures.slice(0, 5), []);
    assert.not.match(client.stderr(), /Error|uncaught/i);
    assert.equal(client.logs.filter((l) => /failed|uncaught|unhandled/.test(l)).slice(0, 3), []);
  } finally {
    await client.stop();
  }
});

test.run();
