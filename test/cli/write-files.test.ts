/**
 * Writing build outputs (`cli/write-files.ts`): files land whole under their names, a rebuild replaces only the
 * files whose bytes differ, a failed write leaves neither the file nor a temporary one, and `--check`'s
 * comparison tells missing from differing files.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { staleOutputs, writeOutputs } from '../../cli/write-files.ts';

const root = mkdtempSync(join(tmpdir(), 'flowc-write-files-'));
process.on('exit', () => rmSync(root, { recursive: true, force: true }));

/** Every file under `dir`, by path relative to it. */
function files(dir: string, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) Object.assign(out, files(path, `${prefix}${name}/`));
    else out[`${prefix}${name}`] = readFileSync(path, 'utf8');
  }
  return out;
}

test('a new folder gets every file under its name, a path given twice holds the later content', () => {
  const out = join(root, 'new');
  const unchanged = writeOutputs(out, [
    { path: 'a.json', content: '{}\n' },
    { path: 'jobdefs/s1.json', content: 'é\n' },
    { path: 'jobdefs/s1.json', content: 'second\n' },
  ]);
  assert.equal([...unchanged], []);
  assert.equal(files(out), { 'a.json': '{}\n', 'jobdefs/s1.json': 'second\n' });
});

test('an existing folder: a changed file is replaced, an unchanged one kept in place, --check sees the difference', () => {
  const out = join(root, 'old');
  writeOutputs(out, [
    { path: 'same.yaml', content: 'a: 1\n' },
    { path: 'edited.yaml', content: 'b: 1\n' },
  ]);
  const inode = statSync(join(out, 'same.yaml')).ino;
  const next = [
    { path: 'same.yaml', content: 'a: 1\n' },
    { path: 'edited.yaml', content: 'b: 2\n' },
    { path: 'added.yaml', content: 'c: 3\n' },
  ];
  assert.equal(staleOutputs(out, next), [
    { path: 'edited.yaml', reason: 'differs' },
    { path: 'added.yaml', reason: 'missing' },
  ]);
  assert.equal([...writeOutputs(out, next)], ['same.yaml'], 'only the unchanged file is reported as such');
  assert.equal(files(out), { 'added.yaml': 'c: 3\n', 'edited.yaml': 'b: 2\n', 'same.yaml': 'a: 1\n' });
  assert.is(statSync(join(out, 'same.yaml')).ino, inode, 'an unchanged file is not rewritten');
  assert.equal(staleOutputs(out, next), []);
});

test('a file that cannot be put in place leaves no temporary file behind', () => {
  const out = join(root, 'blocked');
  mkdirSync(join(out, 'taken.json'), { recursive: true });
  writeFileSync(join(out, 'keep.txt'), 'mine\n');
  assert.throws(() => writeOutputs(out, [{ path: 'taken.json', content: '{}\n' }]));
  assert.equal(readdirSync(out).sort(), ['keep.txt', 'taken.json']);
  assert.equal(staleOutputs(out, [{ path: 'taken.json', content: '{}\n' }]), [{ path: 'taken.json', reason: 'differs' }]);
});

test.run();
