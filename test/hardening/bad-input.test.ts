/**
 * Bad input through the real binary: each case gives a clear error or works, never a stack trace or a hang,
 * and exits 0 (clean), 1 (problems in the input) or 2 (bad usage), as docs/ci.md documents.
 * Every case is checked with each report format, so odd ranges (a BOM, CRLF, an empty file) cannot crash a reporter.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { repoRoot } from '../helpers/golden.ts';
import { sarifErrors, sarifValidator } from '../ci/sarif-schema.ts';
import { assertClean, runFlowc, tempProject } from './run-flowc.ts';

const sample = readFileSync(join(repoRoot, 'samples', 'branches.flow'), 'utf8');
const broken = 'flow F {\n  step start { next trian }\n  step end {}\n}\n';

const ALL_FORMATS = ['json', 'github', 'sarif'];

/** Checks `files` as text and in `formats` (one process each, so big inputs use fewer); returns the text run. */
function checkAllFormats(files: Record<string, string | Uint8Array>, what: string, allowed: number[] = [0, 1], formats = ALL_FORMATS) {
  const dir = tempProject(files);
  const target = Object.keys(files).find((f) => f.endsWith('.flow')) ?? '.';
  const textRun = runFlowc(['check', target], { cwd: dir });
  assertClean(textRun, `${what} (text)`, allowed);
  for (const format of formats) {
    const run = runFlowc(['check', '--format', format, target], { cwd: dir });
    assertClean(run, `${what} (${format})`, allowed);
    assert.is(run.code, textRun.code, `${what}: ${format} exits like text`);
    if (format === 'json') JSON.parse(run.stdout);
    if (format === 'sarif') assert.ok(sarifValidator()(JSON.parse(run.stdout)), `${what}: ${sarifErrors()}`);
  }
  return textRun;
}

test('an empty file', () => {
  checkAllFormats({ 'empty.flow': '' }, 'empty file');
  checkAllFormats({ 'blank.flow': '\n\n   \n' }, 'blank file');
});

test('a 10 MB file of comments after a valid flow works', () => {
  const filler = '// ' + 'x'.repeat(96) + '\n';
  const run = checkAllFormats({ 'big.flow': sample + filler.repeat(Math.ceil((10 * 1024 * 1024) / filler.length)) }, '10 MB of comments', [0], ['sarif']);
  assert.match(run.stdout, 'no problems');
});

test('a 10 MB file of garbage tokens is an error, in time', () => {
  // One token group per line: a single 10 MB line is the long-line case below, at a smaller size.
  const junk = 'step { next , , } ] ) @ "x" 12GiB ->\n'.repeat(Math.ceil((10 * 1024 * 1024) / 40));
  checkAllFormats({ 'junk.flow': junk }, '10 MB of junk', [1], ['github']);
});

test('deeply nested brackets', () => {
  const depth = 100_000;
  checkAllFormats({ 'nested.flow': `flow F {\n  step start {\n    out x: ${'['.repeat(depth)}int${']'.repeat(depth)}\n    next end\n  }\n  step end {}\n}\n` }, 'nested list types', [1]);
  checkAllFormats({ 'open.flow': '{'.repeat(depth) }, 'unclosed braces', [1]);
  checkAllFormats({ 'parens.flow': `@resources${'('.repeat(depth)}` }, 'open parentheses', [1]);
});

test('invalid UTF-8 and binary content', () => {
  const bytes = Buffer.concat([Buffer.from('flow F {\n  step start { next end }\n  // '), Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xa0, 0xa1]), Buffer.from('\n  step end {}\n}\n')]);
  checkAllFormats({ 'latin.flow': bytes }, 'invalid UTF-8 in a comment', [0, 1]);
  const binary = Buffer.alloc(64 * 1024);
  for (let i = 0; i < binary.length; i++) binary[i] = (i * 2654435761) >>> 24;
  checkAllFormats({ 'binary.flow': binary }, 'binary file', [1]);
  checkAllFormats({ 'nul.flow': 'flow F {\0}\n' }, 'a NUL byte', [1]);
});

test('CRLF line endings work, and positions match the LF version', () => {
  checkAllFormats({ 'crlf.flow': sample.replace(/\n/g, '\r\n') }, 'CRLF sample', [0]);
  const lf = runFlowc(['check', '--format', 'json', 'b.flow'], { cwd: tempProject({ 'b.flow': broken }) });
  const crlf = runFlowc(['check', '--format', 'json', 'b.flow'], { cwd: tempProject({ 'b.flow': broken.replace(/\n/g, '\r\n') }) });
  assert.equal(JSON.parse(crlf.stdout), JSON.parse(lf.stdout));
  const gh = runFlowc(['check', '--format', 'github', 'b.flow'], { cwd: tempProject({ 'b.flow': broken.replace(/\n/g, '\r\n') }) });
  assert.not.match(gh.stdout, '\r', 'no raw carriage return in a workflow command');
  checkAllFormats({ 'cr.flow': sample.replace(/\n/g, '\r') }, 'old Mac CR-only line endings', [0, 1]);
});

test('a byte order mark works', () => {
  checkAllFormats({ 'bom.flow': '\uFEFF' + sample }, 'BOM + sample', [0]);
  const plain = runFlowc(['check', '--format', 'json', 'b.flow'], { cwd: tempProject({ 'b.flow': broken }) });
  const bom = runFlowc(['check', '--format', 'json', 'b.flow'], { cwd: tempProject({ 'b.flow': '\uFEFF' + broken }) });
  assert.is(bom.code, 1);
  // The BOM is not a character of line 1 as editors show it; diagnostics on later lines keep their columns anyway.
  const later = (out: string) => JSON.parse(out).diagnostics.filter((d: { line: number }) => d.line > 1);
  assert.equal(later(bom.stdout), later(plain.stdout));
});

test('very long lines', () => {
  const long = 'x'.repeat(2 * 1024 * 1024);
  checkAllFormats({ 'longstr.flow': sample.replace('python "x = 0"', `python "x = 0  # ${long}"`) }, 'a 2 MB string literal', [0, 1], ['json']);
  checkAllFormats({ 'longident.flow': `flow F {\n  step start { next ${long} }\n  step end {}\n}\n` }, 'a 2 MB identifier', [1], ['json']);
  checkAllFormats({ 'oneline.flow': sample.replace(/\/\/[^\n]*/g, '').replace(/\n/g, ' ') }, 'the whole sample on one line', [0, 1]);
});

test('a flowc.yaml alias bomb is a clear error, in time', () => {
  const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 10; i++) {
    const prev = String.fromCharCode(96 + i);
    const cur = String.fromCharCode(97 + i);
    lines.push(`${cur}: &${cur} [${Array(9).fill(`*${prev}`).join(',')}]`);
  }
  lines.push('image: *j');
  const run = checkAllFormats({ 'flowc.yaml': lines.join('\n') + '\n', 'f.flow': sample }, 'alias bomb', [1, 2]);
  assert.match(run.stdout + run.stderr, /flowc\.yaml/);
});

test('flowc.yaml prototype keys change nothing', () => {
  for (const yaml of ['__proto__:\n  image: evil\n', 'argo:\n  __proto__:\n    namespace: evil\n', 'constructor:\n  prototype:\n    polluted: true\n', '"__proto__": { "limits": { "cpu": 1 } }\n']) {
    const run = checkAllFormats({ 'flowc.yaml': yaml, 'f.flow': sample }, `config ${JSON.stringify(yaml)}`, [0, 1], ['json']);
    assert.not.match(run.stdout + run.stderr, 'evil');
  }
});

test('malformed flowc.yaml', () => {
  for (const yaml of ['argo: [unclosed\n', '\t- tab\n', 'argo:\n  limits: { cpu: "lots" }\n', ': :\n', '\uFEFFimage: 3\n', '']) {
    checkAllFormats({ 'flowc.yaml': yaml, 'f.flow': sample }, `config ${JSON.stringify(yaml)}`, [0, 1], ['sarif']);
  }
});

test('usage errors exit 2 with a message', () => {
  const dir = tempProject({ 'f.flow': sample });
  for (const args of [['check'], ['check', 'missing.flow'], ['check', '--format', 'xml', 'f.flow'], ['check', '--max-warnings', 'many', 'f.flow'], ['check', '--bogus', 'f.flow'], ['build', 'f.flow'], ['diff', 'f.flow'], ['diff', 'f.flow', '--base', '--output=/tmp/x']]) {
    const run = runFlowc(args, { cwd: dir });
    assertClean(run, args.join(' '), [2]);
    assert.ok(run.stderr.trim().length > 0, `${args.join(' ')}: says why`);
  }
});

test.run();
