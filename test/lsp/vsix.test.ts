/**
 * Packages the extension with `vsce` (about 7 s) and checks the `.vsix`: the expected files and nothing else (no
 * sources, no node_modules), a sensible size, an extension bundle that loads, and a server bundle that answers
 * over stdio on its own. Builds the bundles first.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { repoRoot } from '../helpers/golden.ts';
import { startClient } from './client.ts';

let dir: string;

test.before(() => {
  dir = mkdtempSync(join(tmpdir(), 'flowc-vsix-'));
});
test.after(() => rmSync(dir, { recursive: true, force: true }));

test('vsce packages the extension with only what it needs', () => {
  const build = spawnSync(process.execPath, ['vscode-extension/build.mjs'], { cwd: repoRoot, encoding: 'utf8' });
  assert.is(build.status, 0, build.stderr);
  const vsix = join(dir, 'flowc.vsix');
  const res = spawnSync(join(repoRoot, 'node_modules', '.bin', 'vsce'), ['package', '--no-dependencies', '--skip-license', '-o', vsix], {
    cwd: join(repoRoot, 'vscode-extension'),
    encoding: 'utf8',
  });
  assert.is(res.status, 0, res.stdout + res.stderr);
  const size = statSync(vsix).size;
  assert.ok(size < 2_000_000, `The .vsix is ${size} bytes.`);
  const unzip = spawnSync('unzip', ['-o', '-q', vsix, '-d', join(dir, 'x')], { encoding: 'utf8' });
  assert.is(unzip.status, 0, unzip.stderr);
  const list = spawnSync('unzip', ['-Z1', vsix], { encoding: 'utf8' }).stdout.trim().split('\n').sort();
  assert.equal(list, [
    '[Content_Types].xml',
    'extension.vsixmanifest',
    'extension/dist/extension-bundle.cjs',
    'extension/dist/extension.cjs',
    'extension/dist/lazy-handlebars.cjs',
    'extension/dist/lazy-yaml.cjs',
    'extension/dist/server-bundle.cjs',
    'extension/dist/server.mjs',
    'extension/images/file-icon.svg',
    'extension/images/icon.png',
    'extension/language-configuration.json',
    'extension/package.json',
    'extension/readme.md',
    'extension/schemas/flowc.schema.json',
    'extension/syntaxes/flow.tmLanguage.json',
  ]);
});

test('the packaged extension bundle loads and exports activate', () => {
  // A stand-in for the `vscode` module: any property is another stand-in, and it can be called or constructed.
  const stubDir = join(dir, 'x', 'extension', 'node_modules', 'vscode');
  mkdirSync(stubDir, { recursive: true });
  writeFileSync(
    join(stubDir, 'index.js'),
    'const make = () => new Proxy(function () {}, { get: (t, k) => (k === "then" ? undefined : k === Symbol.toPrimitive ? () => "" : make()), apply: () => make(), construct: () => make() });\nmodule.exports = make();\n',
  );
  const require = createRequire(pathToFileURL(join(dir, 'x', 'extension', 'package.json')).href);
  const ext = require('./dist/extension.cjs') as { activate?: unknown; deactivate?: unknown };
  assert.type(ext.activate, 'function');
  assert.type(ext.deactivate, 'function');
});

test('the packaged server answers over stdio on its own', async () => {
  const client = await startClient({ args: [join(dir, 'x', 'extension', 'dist', 'server.mjs'), '--stdio'] });
  try {
    const uri = pathToFileURL(join(dir, 'a.flow')).href;
    const pending = client.nextDiagnostics(uri);
    client.open(uri, 'flow F {\n  step start { next nowhere }\n  step end {}\n}\n');
    const res = await pending;
    assert.ok(res.diagnostics.some((d) => d.code === 'unknown-step'), JSON.stringify(res.diagnostics));
  } finally {
    await client.stop();
  }
});

test.run();
