/**
 * End to end: the real server process over stdio, driven like an editor (open, edit, close; diagnostics,
 * completion, rename, formatting, symbols).
 */
import { buildTargets } from '../../targets/registry.ts';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { formatText } from '../../compiler/format.ts';
import { LineIndex } from '../../diagnostics/line-index.ts';
import { fileUri, startClient, type TestClient } from './client.ts';

let client: TestClient;

const good = `flow F {
  image "python:3.12"
  step start {
    out x: int
    python "x = 1"
    next end
  }
  step end {
    in x: int
  }
}
`;

test.before(async () => {
  client = await startClient();
});

test.after(async () => {
  await client.stop();
});

test('diagnostics after open, after an edit, cleared on close', async () => {
  const uri = fileUri('diag.flow');
  let pending = client.nextDiagnostics(uri);
  client.open(uri, good);
  let res = await pending;
  assert.equal(res.diagnostics, []);
  pending = client.nextDiagnostics(uri, (d) => d.diagnostics.length > 0);
  client.change(uri, 2, good.replace('step end {', 'step end {{'));
  res = await pending;
  assert.is(res.version, 2);
  assert.ok(res.diagnostics.every((d) => d.source === 'flowc' && typeof d.code === 'string'));
  pending = client.nextDiagnostics(uri);
  client.close(uri);
  res = await pending;
  assert.equal(res.diagnostics, []);
});

test('stale versions are never published over newer ones', async () => {
  const uri = fileUri('stale.flow');
  client.open(uri, good);
  await client.nextDiagnostics(uri);
  for (let v = 2; v <= 30; v++) client.change(uri, v, v % 2 ? good : good + '}}}');
  const res = await client.nextDiagnostics(uri, (d) => d.version === 30);
  assert.ok(res.diagnostics.length > 0);
  // Let any late publication arrive, then check the last one is still for version 30.
  await new Promise((r) => setTimeout(r, 100));
  assert.is(client.diagnostics.get(uri)!.version, 30);
  client.close(uri);
});

test('document symbols and folding ranges', async () => {
  const uri = fileUri('symbols.flow');
  client.open(uri, good);
  const symbols = (await client.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri } })) as { name: string; children: { name: string; children: { name: string }[] }[] }[];
  assert.equal(
    symbols.map((s) => [s.name, s.children.map((c) => [c.name, c.children.map((g) => g.name)])]),
    [['F', [['start', ['x']], ['end', ['x']]]]],
  );
  const folds = (await client.connection.sendRequest('textDocument/foldingRange', { textDocument: { uri } })) as { startLine: number; endLine: number }[];
  assert.equal(folds.map((f) => [f.startLine, f.endLine]), [[0, 9], [2, 5], [7, 8]]);
  client.close(uri);
});

test('hover and rename over the wire', async () => {
  const uri = fileUri('rename.flow');
  client.open(uri, good);
  const hover = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 8, character: 8 } })) as { contents: { value: string } };
  assert.match(hover.contents.value, 'in x: int');
  const edit = (await client.connection.sendRequest('textDocument/rename', { textDocument: { uri }, position: { line: 8, character: 8 }, newName: 'count' })) as {
    changes: Record<string, { range: { start: { line: number; character: number } }; newText: string }[]>;
  };
  assert.equal(
    edit.changes[uri].map((e) => [e.range.start.line, e.range.start.character, e.newText]),
    [[3, 8, 'count'], [8, 7, 'count']],
  );
  const refused = await client.connection.sendRequest('textDocument/rename', { textDocument: { uri }, position: { line: 2, character: 8 }, newName: 'begin' }).then(
    () => 'answered',
    (err: Error) => err.message,
  );
  assert.match(refused, "cannot be renamed");
  client.close(uri);
});

test('a quick fix names the client\'s own diagnostic (VS Code drops actions whose diagnostics it cannot match)', async () => {
  const uri = fileUri('quickfix.flow');
  const text = good.replace('next end', 'next edn');
  const pending = client.nextDiagnostics(uri);
  client.open(uri, text);
  const published = (await pending).diagnostics;
  const typo = published.find((d) => d.code === 'unknown-step')!;
  assert.ok(typo, JSON.stringify(published));
  type Action = { title: string; isPreferred?: boolean; diagnostics?: unknown[]; edit: { changes: Record<string, { newText: string }[]> } };
  const ask = (diagnostics: unknown[]) =>
    client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: typo.range, context: { diagnostics, triggerKind: 1 } }) as Promise<Action[]>;
  const actions = await ask(published);
  const fix = actions.find((a) => a.title === "Change to 'end'")!;
  assert.ok(fix, JSON.stringify(actions));
  assert.ok(fix.isPreferred);
  assert.equal(fix.diagnostics, [typo]);
  assert.equal(fix.edit.changes[uri].map((e) => e.newText), ['end']);
  // A client that drops `data`: matched by code and range. No diagnostic in the context: none attached.
  const { data: _data, ...withoutData } = typo;
  assert.equal((await ask([withoutData])).find((a) => a.title === fix.title)!.diagnostics, [withoutData]);
  const bare = (await ask([])).find((a) => a.title === fix.title)!;
  assert.is(bare.diagnostics, undefined);
  client.close(uri);
});

test('completion, code lens, DAG and build over the wire', async () => {
  const uri = fileUri('features.flow');
  const text = good.replace('    next end\n  }', '    next \n  }');
  client.open(uri, text);
  const items = (await client.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position: { line: 5, character: 9 } })) as { label: string; textEdit: { newText: string } }[];
  assert.equal(items.map((i) => i.label).sort(), ['end', 'switch']);
  client.change(uri, 2, good);
  const lenses = (await client.connection.sendRequest('textDocument/codeLens', { textDocument: { uri } })) as { command: { title: string; command: string; arguments: unknown[] } }[];
  assert.equal(lenses.map((l) => l.command.title), ['Build for Argo', 'Build for Batch', 'Show DAG']);
  assert.equal(lenses[0].command.arguments, [uri, 'argo']);
  const dag = (await client.connection.sendRequest('flowc/dag', { uri })) as { flows: { name: string; nodes: { id: string; layer: number; line: number }[]; edges: unknown[] }[]; errors: number };
  assert.equal(dag.flows[0].nodes.map((n) => [n.id, n.layer, n.line]), [['start', 0, 2], ['end', 1, 7]]);
  assert.equal(dag.flows[0].edges, [{ from: 'start', to: 'end' }]);
  const built = (await client.connection.sendRequest('flowc/build', { uri, target: 'argo' })) as { files: { name: string; language: string; content: string }[]; problems: string[] };
  assert.equal(built.problems, []);
  assert.ok(built.files.length > 0 && built.files.every((f) => f.language === 'yaml'));
  assert.match(built.files[0].content, 'WorkflowTemplate');
  client.change(uri, 3, good.replace('next end', 'next nowhere'));
  const failed = (await client.connection.sendRequest('flowc/build', { uri, target: 'batch' })) as { files: unknown[]; problems: string[] };
  assert.equal(failed.files, []);
  assert.match(failed.problems[0], "nowhere");
  client.close(uri);
});

test('a 13 MB document and binary garbage: answers, never crashes', async () => {
  const big = fileUri('big.flow');
  const pending = client.nextDiagnostics(big);
  client.open(big, 'step '.repeat(2_600_001));
  const res = await pending;
  assert.equal(res.diagnostics.map((d) => d.code), ['editor-file-too-large']);
  client.close(big);
  const bin = fileUri('binary.flow');
  const binPending = client.nextDiagnostics(bin);
  client.open(bin, Array.from({ length: 5000 }, (_, i) => String.fromCharCode((i * 7919) % 0xd7ff)).join(''));
  await binPending;
  await client.connection.sendRequest('textDocument/completion', { textDocument: { uri: bin }, position: { line: 0, character: 100 } });
  client.close(bin);
  assert.is(client.process.exitCode, null);
});

test('formatting over the wire', async () => {
  const uri = fileUri('format.flow');
  client.open(uri, good.replace('  step end {', 'step end {'));
  const text = good.replace('  step end {', 'step end {');
  const edits = (await client.connection.sendRequest('textDocument/formatting', { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } })) as {
    range: { start: { line: number; character: number }; end: { line: number; character: number } };
    newText: string;
  }[];
  assert.is(edits.length, 1);
  const lines = new LineIndex(text);
  const e = edits[0];
  const formatted = text.slice(0, lines.offset(e.range.start)) + e.newText + text.slice(lines.offset(e.range.end));
  assert.is(formatted, formatText(text).text);
  const tokens = (await client.connection.sendRequest('textDocument/semanticTokens/full', { textDocument: { uri } })) as { data: number[] };
  assert.ok(tokens.data.length > 0 && tokens.data.length % 5 === 0);
  client.close(uri);
});

test('a request cancelled right away answers RequestCancelled', async () => {
  const uri = fileUri('cancel.flow');
  client.open(uri, good);
  // The request and its cancellation are written in one write, as raw frames (the connection's writer would wait
  // for the first write to flush before the second): the server reads both at once, so the cancellation is known
  // before the request is dispatched and the answer must be RequestCancelled, whatever the machine's load.
  const id = 'cancel-right-away';
  const frame = (msg: object): string => {
    const body = JSON.stringify({ jsonrpc: '2.0', ...msg });
    return `Content-Length: ${Buffer.byteLength(body, 'utf8')}\r\n\r\n${body}`;
  };
  // Read the answer off the server's output, frame by frame (the connection ignores a response to an id it did
  // not send).
  let out = Buffer.alloc(0);
  const stdout = client.process.stdout!;
  const answered = new Promise<{ error?: { code: number }; result?: unknown }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer to ${id}`)), 10_000);
    const onData = (chunk: Buffer): void => {
      out = Buffer.concat([out, chunk]);
      for (;;) {
        const headerEnd = out.indexOf('\r\n\r\n');
        if (headerEnd < 0) return;
        const length = Number(/Content-Length: (\d+)/.exec(out.subarray(0, headerEnd).toString('ascii'))?.[1]);
        if (out.length < headerEnd + 4 + length) return;
        const msg = JSON.parse(out.subarray(headerEnd + 4, headerEnd + 4 + length).toString('utf8')) as { id?: unknown; error?: { code: number }; result?: unknown };
        out = out.subarray(headerEnd + 4 + length);
        if (msg.id !== id) continue;
        clearTimeout(timer);
        stdout.off('data', onData);
        resolve(msg);
        return;
      }
    };
    stdout.on('data', onData);
  });
  client.process.stdin!.write(frame({ id, method: 'textDocument/documentSymbol', params: { textDocument: { uri } } }) + frame({ method: '$/cancelRequest', params: { id } }));
  const response = await answered;
  assert.is(response.error?.code, -32800);
  client.close(uri);
});

test('requests on unknown documents answer null, the server stays up', async () => {
  const res = await client.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri: fileUri('nope.flow') } });
  assert.is(res, null);
  assert.is(client.process.exitCode, null);
  assert.not.match(client.stderr(), /Error/);
});

test('the targets come from the registry, and their checks run as you type', async () => {
  const listed = (await client.connection.sendRequest('flowc/targets', {})) as { name: string; summary: string }[];
  assert.equal(listed.map((t) => t.name), buildTargets.map((t) => t.name));
  assert.ok(listed.every((t) => t.summary.length > 0));
  const uri = fileUri('target-names.flow');
  const pending = client.nextDiagnostics(uri, (d) => d.diagnostics.length > 0);
  client.open(uri, good.replace('    next end\n  }', '    next trainModel\n  }\n  step trainModel { next train_model }\n  step train_model { next end }'));
  const res = await pending;
  assert.equal(res.diagnostics.map((d) => d.code), ['name-collision']);
  client.close(uri);
});

test.run();
