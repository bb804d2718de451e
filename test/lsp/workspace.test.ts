/**
 * The server with a workspace folder on disk: the `flowc.yaml` beside the flows applies (and its problems are
 * published on it), workspace symbols cover the folder's `.flow` files, open or not, and every `.flow` file of
 * the folder is checked from disk at start and when it changes on disk (workspace diagnostics), and so are the
 * files of a folder added to the workspace later (`workspace/didChangeWorkspaceFolders`).
 */
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startClient, type TestClient } from './client.ts';

let dir: string;
let client: TestClient;
const noImage = `flow Train {
  step start {
    out x: int
    python "x = 1"
    next end
  }
  step end {}
}
`;

const brokenOnDisk = 'flow Closed {\n  step start { next tail }\n  step tale { next end }\n  step end {}\n}\n';
const uriOf = (...parts: string[]) => pathToFileURL(join(dir, ...parts)).href;
const codes = (d: { diagnostics: { code?: unknown }[] }) => d.diagnostics.map((x) => x.code);

test.before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'flowc-lsp-'));
  mkdirSync(join(dir, '.git'));
  mkdirSync(join(dir, 'more'));
  writeFileSync(join(dir, 'flowc.yaml'), 'image: python:3.12-slim\nargo:\n  namespace: ml\n');
  writeFileSync(join(dir, 'more', 'other.flow'), 'flow Other {\n  step start { next finish_line }\n  step finish_line { next end }\n  step end {}\n}\n');
  writeFileSync(join(dir, 'more', 'closed.flow'), brokenOnDisk);
  mkdirSync(join(dir, 'node_modules', 'dep'), { recursive: true });
  writeFileSync(join(dir, 'node_modules', 'dep', 'skipped.flow'), brokenOnDisk);
  client = await startClient({ rootUri: pathToFileURL(dir).href });
});

test.after(async () => {
  await client.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('the flowc.yaml beside the flow applies', async () => {
  const uri = pathToFileURL(join(dir, 'train.flow')).href;
  const pending = client.nextDiagnostics(uri);
  client.open(uri, noImage);
  const res = await pending;
  assert.equal(res.diagnostics.map((d) => d.code), []);
  client.close(uri);
});

test('flowc.yaml problems are published on flowc.yaml, and cleared when it is fixed', async () => {
  const configUri = pathToFileURL(join(dir, 'flowc.yaml')).href;
  writeFileSync(join(dir, 'flowc.yaml'), 'image: python:3.12-slim\nargo:\n  namespaces: ml\n');
  const published = client.nextDiagnostics(configUri, (d) => d.diagnostics.length > 0);
  await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: configUri, type: 2 }] });
  const uri = pathToFileURL(join(dir, 'train.flow')).href;
  client.open(uri, noImage);
  const res = await published;
  assert.ok(res.diagnostics.every((d) => d.source === 'flowc' && String(d.code).startsWith('config')), JSON.stringify(res.diagnostics));
  writeFileSync(join(dir, 'flowc.yaml'), 'image: python:3.12-slim\n');
  const cleared = client.nextDiagnostics(configUri, (d) => d.diagnostics.length === 0);
  await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: configUri, type: 2 }] });
  await cleared;
  client.close(uri);
});

test('workspace symbols over the folder', async () => {
  const res = (await client.connection.sendRequest('workspace/symbol', { query: 'finish' })) as { name: string; containerName?: string; location: { uri: string } }[];
  assert.equal(res.map((s) => [s.name, s.containerName]), [['finish_line', 'Other']]);
  assert.match(res[0].location.uri, 'more/other.flow');
});

test('a file never opened is checked from disk at start; node_modules is not', async () => {
  const res = await client.diagnosticsFor(uriOf('more', 'closed.flow'));
  assert.equal(codes(res), ['unknown-step']);
  assert.is(res.version, undefined);
  assert.equal(codes(await client.diagnosticsFor(uriOf('more', 'other.flow'))), []);
  assert.not.ok(client.diagnostics.has(uriOf('node_modules', 'dep', 'skipped.flow')));
});

test('the server asks to watch .flow files and flowc.yaml', () => {
  const watch = client.registrations.find((r) => r.method === 'workspace/didChangeWatchedFiles');
  assert.equal((watch?.registerOptions as { watchers: { globPattern: string }[] }).watchers.map((w) => w.globPattern), ['**/*.flow', '**/flowc.{yaml,yml}']);
});

test('files changed, created and deleted on disk are checked again', async () => {
  const closed = uriOf('more', 'closed.flow');
  await client.diagnosticsFor(closed, (d) => d.diagnostics.length > 0);
  writeFileSync(join(dir, 'more', 'closed.flow'), brokenOnDisk.replace('tail', 'tale'));
  let pending = client.nextDiagnostics(closed);
  await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: closed, type: 2 }] });
  assert.equal(codes(await pending), []);

  const created = uriOf('new.flow');
  writeFileSync(join(dir, 'new.flow'), brokenOnDisk);
  pending = client.nextDiagnostics(created);
  await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: created, type: 1 }] });
  assert.equal(codes(await pending), ['unknown-step']);

  unlinkSync(join(dir, 'new.flow'));
  pending = client.nextDiagnostics(created);
  await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: created, type: 3 }] });
  assert.equal(codes(await pending), []);
});

test('an open file shows its buffer; closed, its text on disk again', async () => {
  const uri = uriOf('more', 'closed.flow');
  writeFileSync(join(dir, 'more', 'closed.flow'), brokenOnDisk);
  let pending = client.nextDiagnostics(uri, (d) => d.diagnostics.length === 0 && d.version === 1);
  client.open(uri, brokenOnDisk.replace('tail', 'tale'));
  await pending;
  // A change on disk while open does not override the buffer's diagnostics.
  await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri, type: 2 }] });
  await client.connection.sendRequest('workspace/symbol', { query: 'zzz' });
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(codes(client.diagnostics.get(uri)!), []);
  pending = client.nextDiagnostics(uri);
  client.close(uri);
  const res = await pending;
  assert.equal(codes(res), ['unknown-step']);
  assert.is(res.version, undefined);
});

test('a folder added to the workspace is checked from disk; removed, its files are cleared', async () => {
  const extra = mkdtempSync(join(tmpdir(), 'flowc-lsp-extra-'));
  try {
    mkdirSync(join(extra, 'sub'));
    writeFileSync(join(extra, 'sub', 'late.flow'), brokenOnDisk);
    const late = pathToFileURL(join(extra, 'sub', 'late.flow')).href;
    const folder = { uri: pathToFileURL(extra).href, name: 'extra' };
    assert.not.ok(client.diagnostics.has(late));
    let pending = client.nextDiagnostics(late);
    await client.connection.sendNotification('workspace/didChangeWorkspaceFolders', { event: { added: [folder], removed: [] } });
    const res = await pending;
    assert.equal(codes(res), ['unknown-step']);
    assert.match(String(res.diagnostics[0].message), "Flow 'Closed' has no step 'tail'");
    // A change on disk in the new folder is picked up too.
    writeFileSync(join(extra, 'sub', 'late.flow'), brokenOnDisk.replace('tail', 'tale'));
    pending = client.nextDiagnostics(late);
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: late, type: 2 }] });
    assert.equal(codes(await pending), []);
    writeFileSync(join(extra, 'sub', 'late.flow'), brokenOnDisk);
    pending = client.nextDiagnostics(late);
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: late, type: 2 }] });
    assert.equal(codes(await pending), ['unknown-step']);

    pending = client.nextDiagnostics(late);
    await client.connection.sendNotification('workspace/didChangeWorkspaceFolders', { event: { added: [], removed: [folder] } });
    assert.equal(codes(await pending), []);
    // The first folder's files stay as they were.
    assert.equal(codes(client.diagnostics.get(uriOf('more', 'closed.flow'))!), ['unknown-step']);
  } finally {
    rmSync(extra, { recursive: true, force: true });
  }
});

test.run();
