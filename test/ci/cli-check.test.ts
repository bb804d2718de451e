/** `flowc check` for CI through the real binary: formats, `--max-warnings`, `--deny-warnings`, exit codes. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { repoRoot } from '../helpers/golden.ts';
import { assertClean, runFlowc, tempProject } from '../hardening/run-flowc.ts';
import { sarifErrors, sarifValidator } from './sarif-schema.ts';

const clean = readFileSync(join(repoRoot, 'samples', 'switch.flow'), 'utf8');
const warn = 'flow W {\n  image "python:3.12-slim"\n  param unused: int = 1\n  param other: int = 2\n  step start { next end }\n  step end {}\n}\n';
const broken = 'flow B {\n  image "python:3.12-slim"\n  step start { next trian }\n  step end {}\n}\n';
const dir = tempProject({ 'clean.flow': clean, 'warn.flow': warn, 'broken.flow': broken });

function check(args: string[], expected: number) {
  const run = runFlowc(['check', ...args], { cwd: dir });
  assertClean(run, `check ${args.join(' ')}`, [expected]);
  return run;
}

test('warnings alone exit 0; errors exit 1', () => {
  check(['clean.flow'], 0);
  assert.match(check(['warn.flow'], 0).stdout, 'Checked 1 file: 0 errors, 2 warnings.');
  check(['broken.flow'], 1);
  check(['.'], 1);
});

test('--deny-warnings and --max-warnings', () => {
  check(['--deny-warnings', 'clean.flow'], 0);
  check(['--deny-warnings', 'warn.flow'], 1);
  check(['--max-warnings', '2', 'warn.flow'], 0);
  const over = check(['--max-warnings', '1', 'warn.flow'], 1);
  assert.match(over.stderr, '2 warnings exceed --max-warnings 1');
  check(['--max-warnings', '0', 'warn.flow'], 1);
  check(['--max-warnings', '5', 'broken.flow'], 1);
  check(['--max-warnings', 'x', 'warn.flow'], 2);
  check(['--max-warnings', '1.5', 'warn.flow'], 2);
});

test('--format github annotates each problem and exits like text', () => {
  const run = check(['--format', 'github', 'warn.flow', 'broken.flow'], 1);
  const lines = run.stdout.trimEnd().split('\n');
  assert.equal(
    lines.map((l) => l.replace(/::[^:]*$/, '').replace(/ file=.*title=/, ' title=')),
    // Files in the order given, each file's problems by position.
    ['::warning title=unused-param', '::warning title=unused-param', '::error title=unknown-step', 'Checked 2 files: 1 error, 2 warnings.'],
  );
  assert.match(lines[2], /^::error file=broken\.flow,line=3,col=21,endLine=3,endColumn=25,title=unknown-step::/);
  check(['--format', 'github', '--deny-warnings', 'warn.flow'], 1);
});

test('--format sarif is valid SARIF 2.1.0, with or without results', () => {
  for (const [file, code] of [
    ['clean.flow', 0],
    ['.', 1],
  ] as const) {
    const run = check(['--format', 'sarif', file], code);
    assert.ok(sarifValidator()(JSON.parse(run.stdout)), sarifErrors());
  }
  const results = JSON.parse(check(['--format', 'sarif', '.'], 1).stdout).runs[0].results;
  assert.equal(results.map((r: { ruleId: string; level: string }) => `${r.level} ${r.ruleId}`), ['error unknown-step', 'warning unused-param', 'warning unused-param']);
  assert.is(results[0].locations[0].physicalLocation.artifactLocation.uri, 'broken.flow');
});

test('--format json has the documented stable shape', () => {
  const doc = JSON.parse(check(['--format', 'json', 'broken.flow'], 1).stdout);
  assert.is(doc.version, 1);
  const d = doc.diagnostics[0];
  assert.equal(Object.keys(d).sort(), ['code', 'column', 'endColumn', 'endLine', 'file', 'fixes', 'line', 'message', 'related', 'severity']);
  assert.equal([d.file, d.code, d.severity, d.line, d.column, d.endLine, d.endColumn], ['broken.flow', 'unknown-step', 'error', 3, 21, 3, 26]);
});

test('many files: checked across threads with the same output as one thread; --stats on stderr', () => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 60; i++) files[`f${String(i).padStart(2, '0')}.flow`] = i === 31 ? broken : i % 7 === 0 ? warn : clean;
  const many = tempProject(files);
  const serial = runFlowc(['check', '--jobs', '1', '--format', 'json', '.'], { cwd: many });
  const parallel = runFlowc(['check', '--jobs', '2', '--stats', '--format', 'json', '.'], { cwd: many });
  assertClean(serial, 'serial', [1]);
  assertClean(parallel, 'parallel', [1]);
  assert.is(parallel.stdout, serial.stdout);
  assert.match(parallel.stderr, /^flowc check: 60 files in \d+\.\d\d s \(\d+ files\/s, 2 threads\)\.$/m);
  assertClean(runFlowc(['check', '--jobs', '0', '.'], { cwd: many }), 'jobs 0', [2]);
});

test.run();
