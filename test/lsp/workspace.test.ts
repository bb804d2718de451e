/**
 * The server with a workspace folder on disk: the `flowc.yaml` beside the flows applies (and its problems are
 * published on it), and workspace symbols cover the folder's `.flow` files, open or not.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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

test.before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'flowc-lsp-'));
  mkdirSync(join(dir, '.git'));
  mkdirSync(join(dir, 'more'));
  writeFileSync(join(dir, 'flowc.yaml'), 'image: python:3.12-slim\nargo:\n  namespace: ml\n');
  writeFileSync(join(dir, 'more', 'other.flow'), 'flow Other {\n  step start { next finish_line }\n  step finish_line { next end }\n  step end {}\n}\n');
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

test.run();
