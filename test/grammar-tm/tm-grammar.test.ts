/**
 * The TextMate grammar, run through VS Code's own tokenizer (vscode-textmate via `vscode-tmgrammar-test`)
 * on the annotated `*.flow` files next to this test. Embedded Python and shell use stub grammars here,
 * so the test checks that the embedded regions carry the right scopes without depending on VS Code's grammars.
 */
import { spawnSync } from 'node:child_process';
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

test.run();
