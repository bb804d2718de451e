/**
 * A smoke test with a second real LSP client: Neovim's built-in client (Debian's `neovim`), headless, drives
 * `flowc lsp --stdio`. Skipped when `nvim` is not installed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { repoRoot } from '../helpers/golden.ts';
import { ensureBundle } from './client.ts';

const hasNvim = spawnSync('nvim', ['--version'], { encoding: 'utf8' }).status === 0;

test(`neovim's LSP client gets diagnostics, completion and hover${hasNvim ? '' : ' (skipped: no nvim)'}`, () => {
  if (!hasNvim) return;
  ensureBundle();
  const dir = mkdtempSync(join(tmpdir(), 'flowc-nvim-'));
  try {
    const file = join(dir, 'smoke.flow');
    writeFileSync(file, 'flow F {\n  image "python:3.12"\n  step start {\n    out x: int\n    next end\n  }\n  step end {\n    in x: int\n    in y: int\n  }\n}\n');
    const out = join(dir, 'out.txt');
    const res = spawnSync('nvim', ['--headless', '-u', 'NONE', '-i', 'NONE', '-n', '-c', `luafile ${join(repoRoot, 'test', 'lsp', 'neovim', 'smoke.lua')}`], {
      env: { ...process.env, FLOWC_ROOT: repoRoot, FLOWC_FILE: file, FLOWC_OUT: out },
      encoding: 'utf8',
      timeout: 30000,
    });
    assert.is(res.status, 0, res.stderr);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    assert.ok(lines.some((l) => l.startsWith('diagnostic ') && l.includes("'y'")), lines.join('\n'));
    assert.ok(lines.includes('completion end,switch'), lines.join('\n'));
    assert.ok(lines.some((l) => l.startsWith('hover ') && l.includes('in x: int')), lines.join('\n'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
