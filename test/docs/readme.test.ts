/**
 * The README's commands run as written: the quick start's build and the CI commands ("On GitLab CI ...") run
 * with bash in a fresh git repository holding a copy of `samples/` (so `--base main` and the written files stay
 * out of this checkout), `npx flowc` standing for the built bin/flowc.js. Each must exit 0.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { repoRoot } from '../helpers/golden.ts';

const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');

/** The ```sh block that follows `marker` in the README, as command lines (comments and blanks dropped). */
function shBlockAfter(marker: string): string[] {
  const at = readme.indexOf(marker);
  assert.ok(at >= 0, `README has no '${marker}'`);
  const block = /```sh\n([\s\S]*?)```/.exec(readme.slice(at));
  assert.ok(block, `no sh block after '${marker}'`);
  return block[1].split('\n').filter((l) => l.trim() && !l.trim().startsWith('#'));
}

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'flowc-readme-'));
  cpSync(join(repoRoot, 'samples'), join(dir, 'samples'), { recursive: true });
  mkdirSync(join(dir, 'home'));
  const git = (...args: string[]) => {
    const res = spawnSync('git', args, { cwd: dir, encoding: 'utf8', env: { ...process.env, HOME: join(dir, 'home'), GIT_CONFIG_NOSYSTEM: '1' } });
    assert.is(res.status, 0, res.stderr);
  };
  git('init', '-q', '-b', 'main');
  git('add', 'samples');
  git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', 'samples');
  return dir;
}

/** Runs `lines` with bash in `dir`, `npx flowc` being the built flowc; returns each line's exit code and output. */
function runLines(dir: string, lines: string[]): { line: string; code: number | null; out: string }[] {
  const bin = join(repoRoot, 'bin', 'flowc.js');
  return lines.map((line) => {
    const script = `npx() { if [ "$1" = flowc ]; then shift; "${process.execPath}" "${bin}" "$@"; else return 127; fi; }\n${line}\n`;
    const res = spawnSync('bash', ['-c', script], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', HOME: join(dir, 'home'), FLOWC_HOME: join(dir, 'home', 'flowc') } });
    return { line, code: res.status, out: `${res.stdout}${res.stderr}` };
  });
}

test('the quick start writes to deploy/ and prints the files it wrote', () => {
  const lines = shBlockAfter('## Quick start').filter((l) => l.startsWith('npx flowc'));
  assert.ok(lines.length >= 1);
  const dir = project();
  try {
    for (const r of runLines(dir, lines)) {
      assert.is(r.code, 0, `${r.line}\n${r.out}`);
      const written = [...r.out.matchAll(/^wrote (\S+)$/gm)].map((m) => m[1]);
      assert.ok(written.length > 0 && r.out.split('\n').length < 10, `${r.line} should list the files written:\n${r.out.slice(0, 500)}`);
      for (const f of written) assert.ok(f.startsWith('deploy/') && existsSync(join(dir, f)), f);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the README's CI commands run as written in this repository", () => {
  const lines = shBlockAfter('On GitLab CI');
  assert.ok(lines.length >= 4);
  const dir = project();
  try {
    for (const r of runLines(dir, lines)) assert.is(r.code, 0, `${r.line}\n${r.out.slice(0, 2000)}`);
    const sarif = JSON.parse(readFileSync(join(dir, 'flowc.sarif'), 'utf8')) as { version: string };
    assert.is(sarif.version, '2.1.0');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
