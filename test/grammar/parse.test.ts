/**
 * Parser tests: golden ASTs for `test/cases/syntax/ok/`, golden diagnostics for `test/cases/syntax/err/`,
 * the samples, and focused checks of recovery, soft keywords, strings and offsets.
 */
import type { Code } from '../../diagnostics/catalog.ts';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from '../../grammar/parse.ts';
import type { FileNode, StepDecl, StringLit } from '../../grammar/ast.ts';
import { renderBaseline } from '../../diagnostics/render.ts';
import { syntaxCodes } from '../../diagnostics/catalog/syntax.ts';
import { assertGolden, caseFiles, repoRoot } from '../helpers/golden.ts';
import { dumpAst } from './dump.ts';

for (const c of caseFiles('cases/syntax/ok')) {
  test(`ok/${c.name} parses without diagnostics`, () => {
    const res = parse(c.text);
    assert.equal(res.diagnostics, [], renderBaseline(res.diagnostics, c.text));
    assertGolden(`baselines/syntax/${c.name}.ast.json`, dumpAst(res.file));
  });
}

const errCases = caseFiles('cases/syntax/err');
for (const c of errCases) {
  test(`err/${c.name} reports syntax errors`, () => {
    const res = parse(c.text);
    assert.ok(res.diagnostics.length > 0, 'expected at least one diagnostic');
    for (const d of res.diagnostics) assert.ok(d.code in syntaxCodes, `unknown code ${d.code}`);
    assertGolden(`baselines/syntax/${c.name}.diagnostics.txt`, renderBaseline(res.diagnostics, c.text));
  });
}

test('every syntax code has an err case and a catalog example that triggers it', () => {
  const seen = new Set(errCases.flatMap((c) => parse(c.text).diagnostics.map((d) => d.code)));
  for (const [code, entry] of Object.entries(syntaxCodes)) {
    assert.ok(seen.has(code as Code), `no err case reports ${code}`);
    const codes = parse(entry.example).diagnostics.map((d) => d.code);
    assert.ok(codes.includes(code as Code), `the example of ${code} reports ${codes.join(', ') || 'nothing'}`);
    assert.ok(entry.doc.length > 0 && entry.summary.endsWith('.'), code);
  }
});

const samplesDir = join(repoRoot, 'samples');
for (const name of readdirSync(samplesDir).filter((f) => f.endsWith('.flow')).sort()) {
  test(`sample ${name} parses without diagnostics`, () => {
    const text = readFileSync(join(samplesDir, name), 'utf8');
    const res = parse(text);
    assert.equal(res.diagnostics, []);
    assert.ok(res.file.flows.length > 0);
  });
}

const steps = (file: FileNode, flow = 0) => file.flows[flow].members.filter((m): m is StepDecl => m.kind === 'Step');
const stepNames = (file: FileNode, flow = 0) => steps(file, flow).map((s) => s.name.name);

/** One mistake gives exactly one diagnostic, and the steps around it are still in the AST. */
function checkRecovery(text: string, expected: { message: RegExp; steps: string[] }) {
  const res = parse(text);
  assert.is(res.diagnostics.length, 1, res.diagnostics.map((d) => d.message).join('\n'));
  assert.match(res.diagnostics[0].message, expected.message);
  assert.equal(stepNames(res.file), expected.steps);
}

const seed = readFileSync(join(samplesDir, 'branches.flow'), 'utf8');

test('recovery: a misspelt keyword is one error and keeps the step', () => {
  checkRecovery(seed.replace('step b {', 'stepp b {'), { message: /^Expecting `step` but found `stepp`\.$/, steps: ['start', 'a', 'b', 'join', 'end'] });
});

test('recovery: a misspelt member keyword is read as the keyword', () => {
  const res = parse(seed.replace('out x: int\n    python "x += 2"', 'otu x: int\n    python "x += 2"'));
  assert.equal(
    res.diagnostics.map((d) => d.message),
    ['Expecting `out` but found `otu`.'],
  );
  assert.equal(steps(res.file)[1].members.map((m) => m.kind), ['In', 'Out', 'Script', 'NextSteps']);
});

test('recovery: an unknown member is one error and the rest of the step is kept', () => {
  const res = parse(seed.replace('out x: int\n    python "x += 2"', 'artifact x: int\n    python "x += 2"'));
  assert.is(res.diagnostics.length, 1);
  assert.equal(stepNames(res.file), ['start', 'a', 'b', 'join', 'end']);
  assert.equal(steps(res.file)[1].members.map((m) => m.kind), ['In', 'Script', 'NextSteps']);
});

test('recovery: a missing colon, comma or bracket is one error', () => {
  const all = ['start', 'a', 'b', 'join', 'end'];
  checkRecovery(seed.replace('out out: int', 'out out int'), { message: /^Expecting `:` but found `int`\.$/, steps: all });
  checkRecovery(seed.replace('gpu: 1,', 'gpu: 1'), { message: /^Expecting `\)` but found `memory`\.$/, steps: all });
  checkRecovery(seed.replace('in x: [int]', 'in x: [int'), { message: /^Expecting `\]` but found `out`\.$/, steps: all });
  checkRecovery(seed.replace('next a, b', 'next a b'), { message: /^Expecting .* but found `b`\.$/, steps: all });
});

test('a missing `}` has a note pointing at the `{` it should close', () => {
  for (const [text, openAt] of [
    ['flow F {\n  step start {\n    next end\n\n  step end {}\n}\n', 'step start {'],
    ['flow F {\n  step start { next end }\n  step end {}\n', 'flow F {'],
  ] as const) {
    const res = parse(text);
    assert.is(res.diagnostics.length, 1, renderBaseline(res.diagnostics, text));
    const [d] = res.diagnostics;
    assert.match(d.message, /^Expecting `\}`/);
    const brace = text.indexOf(openAt) + openAt.length - 1;
    assert.equal(d.related, [{ message: 'This `{` is not closed.', start: brace, end: brace + 1 }]);
  }
});

test('recovery: a lexical error does not also give a parse error', () => {
  checkRecovery(seed.replace('python "x += 3"', 'python "x += 3'), { message: /never closed/, steps: ['start', 'a', 'b', 'join', 'end'] });
  checkRecovery(seed.replace('20GiB', '20Gb'), { message: /did you mean `GB`/, steps: ['start', 'a', 'b', 'join', 'end'] });
  checkRecovery(seed.replace('in x: [int]', 'in x: [int] #'), { message: /Unexpected character `#`/, steps: ['start', 'a', 'b', 'join', 'end'] });
});

test('recovery: a missing name gives an empty Ident, not a missing node', () => {
  const res = parse('flow F {\n  step { next end }\n  step end {}\n}\n');
  assert.is(res.diagnostics.length, 1);
  assert.equal(stepNames(res.file), ['', 'end']);
});

test('soft keywords are names where a name is expected', () => {
  const res = parse('flow F { step in { in in: int from out out out: [in] next switch, step } }');
  assert.equal(res.diagnostics, []);
  const step = steps(res.file)[0];
  assert.is(step.name.name, 'in');
  assert.equal(
    step.members.map((m) => m.kind),
    ['In', 'Out', 'NextSteps'],
  );
});

test('`next switch` is a step named switch unless a subject and `{` follow', () => {
  const a = parse('flow F { step s { next switch } }');
  assert.is(steps(a.file)[0].members[0].kind, 'NextSteps');
  const b = parse('flow F { step s { next switch v { 1 -> a } } }');
  assert.is(steps(b.file)[0].members[0].kind, 'NextSwitch');
});

test('string offsets map every decoded character to its source', () => {
  const text = 'flow F { step s { run "a\\tb\\u{1F600}{{in.x}}" } }';
  const res = parse(text);
  const body = steps(res.file)[0].members[0];
  assert.is(body.kind, 'RunShell');
  const lit = (body as { command: StringLit }).command;
  assert.is(lit.value, 'a\tb\u{1F600}{{in.x}}');
  assert.is(lit.offsets.length, lit.value.length + 1);
  const at = lit.value.indexOf('{{');
  assert.is(text.slice(lit.offsets[at], lit.offsets[at + '{{in.x}}'.length]), '{{in.x}}');
  assert.is(text.slice(lit.offsets[1], lit.offsets[2]), '\\t');
  assert.is(lit.offsets[lit.value.length], text.indexOf('" }'));
});

test('triple strings strip the first blank line, the common indentation and the last blank line', () => {
  const text = 'flow F {\r\n  step s {\r\n    python """\r\n      a = 1\r\n\r\n        b = "{{in.x}}"\r\n    """\r\n  }\r\n}\r\n';
  const res = parse(text);
  assert.equal(res.diagnostics, []);
  const lit = (steps(res.file)[0].members[0] as { source: StringLit }).source;
  assert.is(lit.value, 'a = 1\n\n  b = "{{in.x}}"');
  assert.ok(lit.triple);
  const at = lit.value.indexOf('{{');
  assert.is(text.slice(lit.offsets[at], lit.offsets[at + 8]), '{{in.x}}');
  for (let i = 0; i < lit.value.length; i++) {
    const src = text[lit.offsets[i]];
    assert.ok(src === lit.value[i] || (lit.value[i] === '\n' && src === '\r'), `offset of char ${i}`);
  }
});

test('a BOM is skipped and offsets still index the original text', () => {
  const text = '\uFEFFflow F { step start {} }';
  const res = parse(text);
  assert.equal(res.diagnostics, []);
  assert.is(text.slice(res.file.flows[0].name.span.start, res.file.flows[0].name.span.end), 'F');
});

test('comments are collected in order with exact text', () => {
  const text = '// one\r\nflow F { /* two */ step s {} } // three';
  const res = parse(text);
  assert.equal(res.file.comments.map((c) => c.text), ['// one', '/* two */', '// three']);
  for (const c of res.file.comments) assert.is(text.slice(c.span.start, c.span.end), c.text);
});

test('sizes and durations keep value and unit; an unknown unit is one error', () => {
  const res = parse('@r(a: 1.5GB, b: 500ms, c: 20GiB)\nflow F {}');
  const args = res.file.flows[0].decorators[0].args.map((a) => a.value);
  assert.equal(
    args.map((v) => v && v.kind !== 'List' && v.kind !== 'Object' && v.kind !== 'Name' && v.kind !== 'Null' && [v.kind, v.value, 'unit' in v ? v.unit : '']),
    [
      ['Size', 1.5, 'GB'],
      ['Duration', 500, 'ms'],
      ['Size', 20, 'GiB'],
    ],
  );
  const bad = parse('@r(a: 3xyz)\nflow F {}');
  assert.equal(
    bad.diagnostics.map((d) => d.code),
    ['unknown-unit'],
  );
  assert.match(bad.diagnostics[0].message, /`MiB`/);
});

test('parse never throws on pathological input', () => {
  const inputs = ['', '\uFEFF', '"', '"""', '/*', '@', '@(', 'flow', 'flow {', '{'.repeat(50000), '('.repeat(50000), '\u0000\u0001\uD800', 'next switch x {'];
  for (const text of inputs) {
    const res = parse(text);
    assert.is(res.file.kind, 'File');
    for (const d of res.diagnostics) assert.ok(d.start >= 0 && d.end <= text.length && d.start <= d.end, JSON.stringify(d));
  }
});

test.run();
