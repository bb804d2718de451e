/**
 * Large documents (at least `largeDocumentSize` characters) are analysed in the server's worker thread
 * (lsp/large-documents.ts): the main thread answers requests about other documents meanwhile, requests about the
 * large one get the same answers as on the main thread, a newer version cancels the analysis of an older one, and
 * a file on disk is checked there too. Over stdio against the real bundle; no timing is asserted, only order.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { generateFlow } from '../../bench/gen.ts';
import { largeDocumentSize } from '../../lsp/large-documents.ts';
import { startClient, type TestClient } from './client.ts';

let dir: string;
let client: TestClient;
const uriOf = (name: string) => pathToFileURL(join(dir, name)).href;
const small = generateFlow('linear', 5);
// Several times the threshold, so that its analysis takes long enough for the order asserted below (about 1 s).
const steps = Math.ceil((6 * largeDocumentSize) / (generateFlow('linear', 100).length / 100));
const large = generateFlow('linear', steps);
const position = (text: string, needle: string, offset = 0) => {
  const before = text.slice(0, text.indexOf(needle) + offset).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
};
const codes = (d: { diagnostics: { code?: unknown }[] }) => d.diagnostics.map((x) => x.code);

test.before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'flowc-lsp-large-'));
  mkdirSync(join(dir, '.git'));
  client = await startClient({ rootUri: pathToFileURL(dir).href });
  const ready = client.nextDiagnostics(uriOf('small.flow'));
  client.open(uriOf('small.flow'), small);
  await ready;
});

test.after(async () => {
  await client.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('a request about a small document is answered while a large one is analysed', async () => {
  assert.ok(large.length >= 6 * largeDocumentSize);
  const events: string[] = [];
  const uri = uriOf('large.flow');
  const diagnostics = client.nextDiagnostics(uri, () => true, 60_000).then((d) => (events.push('large diagnostics'), d));
  client.open(uri, large.replace('next s2', 'next s2x'));
  // Until the server is busy with it (on the main thread, it would answer nothing else for about a second).
  await new Promise((r) => setTimeout(r, 30));
  const hover = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: uriOf('small.flow') }, position: position(small, 'in v0', 4) })) as { contents: { value: string } } | null;
  events.push('small hover');
  assert.match(hover!.contents.value, 'v0');
  const res = await diagnostics;
  assert.equal(events, ['small hover', 'large diagnostics']);
  assert.equal(codes(res), ['unknown-step']);
  assert.is(res.version, 1);
});

test('requests about the large document are answered by the worker, errors included', async () => {
  const uri = uriOf('large.flow');
  const text = large.replace('next s2', 'next s2x');
  const at = position(text, `in v${steps - 3}: int`, 4);
  const hover = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: at })) as { contents: { value: string } } | null;
  assert.match(hover!.contents.value, `v${steps - 3}`);
  const definition = (await client.connection.sendRequest('textDocument/definition', { textDocument: { uri }, position: at })) as { range: { start: { line: number } } }[];
  assert.is(definition[0].range.start.line, position(text, `out v${steps - 3}: int`).line);
  // A refusal (renaming `start`) comes back as the same error the main thread gives.
  const refusal = await client.connection.sendRequest('textDocument/prepareRename', { textDocument: { uri }, position: position(text, 'step start', 6) }).then(
    () => undefined,
    (err: { code: number; message: string }) => err,
  );
  assert.is(refusal?.code, -32600);
  assert.match(refusal!.message, 'start');
});

test('a newer version cancels the analysis of the older one; only the newest is published', async () => {
  const uri = uriOf('large.flow');
  const published: (number | undefined)[] = [];
  const last = client.nextDiagnostics(uri, (d) => (published.push(d.version), d.version === 3), 60_000);
  client.change(uri, 2, large.replace('next s3', 'next s3x'));
  // A hover has the worker analyse version 2; a request about the small document, answered once the hover has
  // reached the worker, says when to send version 3.
  const hover = client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: position(large, 'in v7', 4) }).then(
    () => 'answered',
    (err: { code: number }) => err.code,
  );
  await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: uriOf('small.flow') }, position: position(small, 'in v0', 4) });
  client.change(uri, 3, large);
  // ContentModified: the analysis of version 2 was ended.
  assert.is(await hover, -32801);
  const res = await last;
  assert.equal(codes(res), []);
  assert.equal(published, [3]);
  // The document shrinks below the threshold: back on the main thread.
  const shrunk = client.nextDiagnostics(uri, (d) => d.version === 4);
  client.change(uri, 4, small.replace('next end', 'next ennd'));
  assert.equal(codes(await shrunk), ['unknown-step']);
  client.close(uri);
});

test('a large file on disk, never opened, is checked in the worker', async () => {
  const uri = uriOf('on-disk.flow');
  writeFileSync(join(dir, 'on-disk.flow'), large.replace('next s5', 'next s5x'));
  const pending = client.nextDiagnostics(uri, () => true, 60_000);
  await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri, type: 1 }] });
  const res = await pending;
  assert.equal(codes(res), ['unknown-step']);
  assert.is(res.version, undefined);
  assert.is(client.stderr(), '');
});

test.run();
