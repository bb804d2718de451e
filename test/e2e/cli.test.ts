/**
 * End-to-end tests of the real `flowc` binary (bin/flowc.js over the esbuild bundle): exit codes, output shape,
 * and that every sample checks, formats and builds.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { repoRoot } from '../helpers/golden.ts';

const bin = join(repoRoot, 'bin', 'flowc.js');

function flowc(args: string[], opts: { cwd?: string; input?: string } = {}) {
  const res = spawnSync(process.execPath, [bin, ...args], { cwd: opts.cwd ?? repoRoot, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, input: opts.input });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}

function tempDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'flowc-e2e-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const samples = readdirSync(join(repoRoot, 'samples')).filter((f) => f.endsWith('.flow')).sort();

test('--help lists the commands and exits 0; no command is a usage error', () => {
  const help = flowc(['--help']);
  assert.is(help.code, 0);
  for (const cmd of ['check', 'build', 'fmt', 'graph', 'explain']) assert.match(help.stdout, new RegExp(`\\n  ${cmd} `));
  assert.is(flowc([]).code, 2);
  const unknown = flowc(['frobnicate']);
  assert.is(unknown.code, 2);
  assert.match(unknown.stderr, /unknown command 'frobnicate'/);
});

test('every sample checks clean', () => {
  const res = flowc(['check', 'samples']);
  assert.is(res.stdout, `Checked ${samples.length} files: no problems.\n`);
  assert.is(res.code, 0);
});

test('check reports every problem with file:line:col, the source line and a caret, and exits 1', () => {
  const dir = tempDir({
    'bad.flow': 'flow Bad {\n  step start {\n    next middle\n  }\n  step end {}\n}\n',
  });
  const res = flowc(['check', 'bad.flow'], { cwd: dir });
  assert.is(res.code, 1);
  assert.match(res.stdout, /^bad\.flow:3:10: error\[[a-z-]+\]: .*'middle'/m);
  assert.match(res.stdout, /\n  3 \|     next middle\n    \|          \^{6}\n/);
  assert.not.match(res.stdout, /\u001b\[/);
  assert.match(res.stdout, /Checked 1 file: 1 error, 0 warnings\.\n$/);
});

test('check on a missing file or with a bad option is a usage error (exit 2), never a stack trace', () => {
  const missing = flowc(['check', 'nope.flow']);
  assert.is(missing.code, 2);
  assert.match(missing.stderr, /No such file or directory: 'nope\.flow'/);
  const bad = flowc(['check', '--frob', 'samples']);
  assert.is(bad.code, 2);
  assert.not.match(bad.stderr + missing.stderr, /\n\s+at /);
});

test('check --format json gives 1-based ranges', () => {
  const dir = tempDir({ 'bad.flow': 'flow Bad {\n  step start {\n    next middle\n  }\n  step end {}\n}\n' });
  const res = flowc(['check', '--format', 'json', 'bad.flow'], { cwd: dir });
  assert.is(res.code, 1);
  const out = JSON.parse(res.stdout);
  assert.is(out.version, 1);
  assert.is(out.diagnostics.length, 1);
  assert.equal({ ...out.diagnostics[0], message: undefined, code: undefined, related: undefined, fixes: undefined }, {
    file: 'bad.flow', severity: 'error', line: 3, column: 10, endLine: 3, endColumn: 16, message: undefined, code: undefined, related: undefined, fixes: undefined,
  });
});

test('build --target ir prints deterministic IR; --out writes files; errors write nothing', () => {
  const a = flowc(['build', 'samples/branches.flow', '--target', 'ir']);
  const b = flowc(['build', 'samples/branches.flow', '--target', 'ir']);
  assert.is(a.code, 0, a.stderr);
  assert.is(a.stdout, b.stdout);
  const ir = JSON.parse(a.stdout);
  assert.is(ir.irVersion, 1);
  assert.is(ir.name, 'MyFlow');

  const dir = tempDir({ 'bad.flow': 'flow Bad {\n  step start { next nowhere }\n  step end {}\n}\n' });
  const out = join(dir, 'out');
  const bad = flowc(['build', 'bad.flow', '--target', 'ir', '--out', out], { cwd: dir });
  assert.is(bad.code, 1);
  assert.not.ok(readdirSync(dir).includes('out'));

  const good = flowc(['build', join(repoRoot, 'samples/branches.flow'), '--target', 'ir', '--out', out], { cwd: dir });
  assert.is(good.code, 0, good.stderr);
  assert.equal(readdirSync(out), ['MyFlow.ir.json']);
  assert.is(readFileSync(join(out, 'MyFlow.ir.json'), 'utf8'), a.stdout);
});

test('build --check: up to date exits 0, stale or missing exits 1 naming the files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'flowc-e2e-'));
  const out = join(dir, 'deploy');
  const flow = join(repoRoot, 'samples/branches.flow');
  assert.is(flowc(['build', flow, '--target', 'ir', '--out', out, '--check']).code, 1);
  assert.is(flowc(['build', flow, '--target', 'ir', '--out', out]).code, 0);
  const fresh = flowc(['build', flow, '--target', 'ir', '--out', out, '--check']);
  assert.is(fresh.code, 0, fresh.stdout);
  writeFileSync(join(out, 'MyFlow.ir.json'), '{}\n');
  const stale = flowc(['build', flow, '--target', 'ir', '--out', out, '--check']);
  assert.is(stale.code, 1);
  assert.match(stale.stdout, /stale: .*MyFlow\.ir\.json/);
});

test('fmt --check passes on samples, and names a file that would change', () => {
  const ok = flowc(['fmt', '--check', 'samples']);
  assert.is(ok.code, 0, ok.stdout + ok.stderr);
  const dir = tempDir({ 'messy.flow': 'flow  M {\nstep start {   next end }\n    step end {}\n}' });
  const res = flowc(['fmt', '--check', 'messy.flow'], { cwd: dir });
  assert.is(res.code, 1);
  assert.match(res.stdout, /would reformat messy\.flow/);
  assert.is(flowc(['fmt', 'messy.flow'], { cwd: dir }).code, 0);
  assert.is(flowc(['fmt', '--check', 'messy.flow'], { cwd: dir }).code, 0);
});

test('graph prints Mermaid and dot with the split and join visible', () => {
  const m = flowc(['graph', 'samples/branches.flow']);
  assert.is(m.code, 0, m.stderr);
  assert.match(m.stdout, /^flowchart TD\n/);
  assert.match(m.stdout, /n_start --> n_a/);
  assert.match(m.stdout, /n_join\(\("join"\)\)/);
  const d = flowc(['graph', 'samples/genres.flow', '--format', 'dot']);
  assert.is(d.code, 0, d.stderr);
  assert.match(d.stdout, /"start" -> "count" \[label="foreach genre in genres", style=bold\];/);
});

test('explain prints a code\'s documentation; an unknown code exits 1', () => {
  const ok = flowc(['explain', 'unknown-step']);
  assert.is(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /^unknown-step \(error\): /);
  assert.match(ok.stdout, /Example:/);
  assert.is(flowc(['explain', 'no-such-code']).code, 1);
  const typo = flowc(['explain', 'type-mistmatch']);
  assert.is(typo.code, 1);
  assert.match(typo.stderr, /unknown diagnostic code 'type-mistmatch'\. Did you mean 'type-mismatch'\?/);
});

test('samples copied elsewhere still find their flowc.yaml', () => {
  const dir = mkdtempSync(join(tmpdir(), 'flowc-e2e-'));
  cpSync(join(repoRoot, 'samples'), dir, { recursive: true });
  const res = flowc(['check', '.'], { cwd: dir });
  assert.is(res.code, 0, res.stdout);
});

test.run();

test('check loads yaml and the Handlebars parser only for a flow that needs them (start-up)', () => {
  // NODE_DEBUG=module logs each file Node's require() loads; the bundle requires these two lazily (scripts/build.mjs).
  const loaded = (dir: string, file: string) => {
    const env = { ...process.env, NO_COLOR: '1', NODE_DEBUG: 'module', FLOWC_HOME: join(dir, '.flowc-home') };
    const res = spawnSync(process.execPath, [bin, 'check', file], { cwd: dir, encoding: 'utf8', env });
    return { code: res.status, stdout: res.stdout, lazy: [...new Set(res.stderr.match(/lazy-[a-z]+\.cjs/g) ?? [])].sort() };
  };
  const flow = (cmd: string) => `flow Small {\n  image "python:3.12-slim"\n  step start {\n    out x: int\n    run "${cmd}"\n    next end\n  }\n  step end {\n    in x: int\n  }\n}\n`;
  const plain = tempDir({ 'plain.flow': flow('echo hi') });
  writeFileSync(join(plain, '.git'), '');
  assert.equal(loaded(plain, 'plain.flow'), { code: 0, stdout: 'Checked 1 file: no problems.\n', lazy: [] });
  const both = tempDir({ 'both.flow': flow('echo {{in.nope}}'), 'flowc.yaml': 'bogus: 1\n' });
  const res = loaded(both, 'both.flow');
  assert.is(res.code, 1);
  assert.match(res.stdout, /error\[unknown-template-ref\]/);
  assert.match(res.stdout, /flowc\.yaml:1:1: error\[config-invalid\]/);
  assert.equal(res.lazy, ['lazy-handlebars.cjs', 'lazy-yaml.cjs']);
});
