/**
 * Through the real binary: a file with no flow, a file whose only line ends are `\r`, and invalid UTF-8 are errors
 * (exit 1, nothing built or rewritten), never a silent "no problems" (issue 14).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { repoRoot } from '../helpers/golden.ts';

const dir = mkdtempSync(join(tmpdir(), 'flowc-source-'));
const flowc = (...args: string[]) => {
  const res = spawnSync(process.execPath, [join(repoRoot, 'bin', 'flowc.js'), ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', HOME: dir, FLOWC_HOME: join(dir, 'state') } });
  return { code: res.status, out: `${res.stdout}${res.stderr}` };
};
const good = 'flow F {\n  image "python:3.12-slim"\n  step start {\n    python "print(1)"\n    next end\n  }\n  step end {}\n}\n';

test('an empty, blank or comment-only file is a no-flow error, and builds nothing', () => {
  for (const [name, text] of [
    ['empty.flow', ''],
    ['blank.flow', ' \n\t\n'],
    ['comment.flow', '// nothing here\n'],
  ]) {
    writeFileSync(join(dir, name), text);
    const check = flowc('check', name);
    assert.is(check.code, 1, check.out);
    assert.match(check.out, new RegExp(`${name}:1:1: error\\[no-flow\\]`));
    const build = flowc('build', name, '--target', 'argo', '--out', `out-${name}`);
    assert.is(build.code, 1, build.out);
    assert.not.ok(existsSync(join(dir, `out-${name}`)));
  }
});

test('a file with only \\r line ends checks like its \\n twin (a leading comment no longer swallows it)', () => {
  const broken = `// first line\n${good.replace('next end', 'next ed')}`;
  writeFileSync(join(dir, 'lf.flow'), broken);
  writeFileSync(join(dir, 'cr.flow'), broken.replace(/\n/g, '\r'));
  const lf = flowc('check', 'lf.flow');
  const cr = flowc('check', 'cr.flow');
  assert.is(cr.code, 1, cr.out);
  assert.is(cr.out.replace(/cr\.flow/g, 'lf.flow'), lf.out);
  writeFileSync(join(dir, 'cr-good.flow'), good.replace(/\n/g, '\r'));
  const build = flowc('build', 'cr-good.flow', '--target', 'argo', '--out', 'out-cr');
  assert.is(build.code, 0, build.out);
  assert.match(build.out, /^wrote out-cr\/f\.workflowtemplate\.yaml$/m);
});

test('invalid UTF-8 is an error at its byte offset: check and build fail, fmt leaves the file alone', () => {
  // The whole file saved as Latin-1: every character is ASCII but the é, one byte 0xE9.
  const text = Buffer.from(good.replace('print(1)', "print('café')"), 'latin1');
  writeFileSync(join(dir, 'latin1.flow'), text);
  const offset = text.indexOf(0xe9);
  const check = flowc('check', 'latin1.flow');
  assert.is(check.code, 1, check.out);
  assert.match(check.out, new RegExp(`latin1\\.flow:4:\\d+: error\\[invalid-utf8\\]: The file is not valid UTF-8: byte 0xE9 at byte offset ${offset} `));
  assert.is(flowc('build', 'latin1.flow', '--target', 'argo', '--out', 'out-latin1').code, 1);
  assert.not.ok(existsSync(join(dir, 'out-latin1')));
  writeFileSync(join(dir, 'latin1.flow'), Buffer.concat([Buffer.from('flow  F {'), Buffer.from([0xe9]), Buffer.from('}\n')]));
  const before = readFileSync(join(dir, 'latin1.flow'));
  assert.is(flowc('fmt', 'latin1.flow').code, 1);
  assert.equal(readFileSync(join(dir, 'latin1.flow')), before);
});

test.run();
