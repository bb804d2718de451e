/**
 * The TextMate grammar, run through VS Code's own tokenizer (vscode-textmate via `vscode-tmgrammar-test`)
 * on the annotated `*.flow` files next to this test. Embedded Python and shell use stub grammars here,
 * so the test checks that the embedded regions carry the right scopes without depending on VS Code's grammars.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { repoRoot } from '../helpers/golden.ts';

const bin = join(repoRoot, 'node_modules', '.bin', 'vscode-tmgrammar-test');

test('annotated grammar fixtures', () => {
  const res = spawnSync(
    bin,
    [
      '--compact',
      '-g', 'vscode-extension/syntaxes/flow.tmLanguage.json',
      '-g', 'test/grammar-tm/embedded/python.tmLanguage.json',
      '-g', 'test/grammar-tm/embedded/shell.tmLanguage.json',
      'test/grammar-tm/*.flow',
    ],
    { cwd: repoRoot, encoding: 'utf8' },
  );
  assert.is(res.status, 0, `vscode-tmgrammar-test failed:\n${res.stdout}\n${res.stderr}`);
});

test('the samples tokenize without invalid scopes, and keywords are recognised', async () => {
  const onig = await import('vscode-oniguruma');
  const textmate = await import('vscode-textmate');
  const wasm = readFileSync(join(repoRoot, 'node_modules', 'vscode-oniguruma', 'release', 'onig.wasm'));
  await onig.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer);
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({ createOnigScanner: (p: string[]) => new onig.OnigScanner(p), createOnigString: (s: string) => new onig.OnigString(s) }),
    loadGrammar: async (scope: string) =>
      scope === 'source.flow' ? textmate.parseRawGrammar(readFileSync(join(repoRoot, 'vscode-extension', 'syntaxes', 'flow.tmLanguage.json'), 'utf8'), 'flow.tmLanguage.json') : null,
  });
  const grammar = (await registry.loadGrammar('source.flow'))!;
  const samples = readdirSync(join(repoRoot, 'samples')).filter((f) => f.endsWith('.flow'));
  assert.ok(samples.length > 0);
  for (const name of samples) {
    let state = textmate.INITIAL;
    const scopes = new Set<string>();
    for (const line of readFileSync(join(repoRoot, 'samples', name), 'utf8').split('\n')) {
      const res = grammar.tokenizeLine(line, state);
      for (const t of res.tokens) for (const s of t.scopes) scopes.add(s);
      state = res.ruleStack;
    }
    assert.equal([...scopes].filter((s) => s.startsWith('invalid')), [], name);
    assert.ok(scopes.has('keyword.declaration.step.flow') && scopes.has('entity.name.function.step.flow'), name);
  }
});

test.run();
