/**
 * The code cache of the start-up bundle (cli/code-cache.ts; issue 14, start-up): made by the first run, used by the
 * next ones, rewritten when V8 rejects it (garbage, a truncated file), never a failure of the command, kept under
 * FLOWC_HOME. On a small bundle of its own, and end to end through bin/flowc.js with `flowc check`. Each load runs
 * in a process of its own (V8 keeps compiled scripts in memory: a second load in one process would not read the
 * file), through the built dist/code-cache.cjs. Nothing here measures time; whether V8 took the cache is what
 * `fromCache` and an unchanged file say.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { codeCacheDir } from '../../cli/code-cache.ts';
import { repoRoot } from '../helpers/golden.ts';

const hashLine = (hash: string) => `\n// flowc-bundle-hash: ${hash}\n`;

/** A CommonJS bundle with a hash line, and a FLOWC_HOME, in a fresh temp folder. */
function bundle(body: string, hash = 'a'.repeat(64)) {
  const dir = mkdtempSync(join(tmpdir(), 'flowc-code-cache-'));
  const file = join(dir, 'tiny.cjs');
  writeFileSync(file, body + hashLine(hash));
  const env = { FLOWC_HOME: join(dir, 'home') };
  return { dir, file, env, cacheDir: codeCacheDir(env) };
}

const cacheFiles = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.v8')) : []);
const body = "const { join } = require('node:path');\nexports.answer = (n) => join('a', String(n * 2));\n";

/** Loads `file` with requireCached in a fresh process, calls its `answer(n)`, then `save()` unless told not to. */
function load(file: string, env: Record<string, string>, n: number, save = true): { fromCache: boolean; answer: string } {
  const script = [
    `import { requireCached } from ${JSON.stringify(pathToFileURL(join(repoRoot, 'dist', 'code-cache.cjs')).href)};`,
    `const m = requireCached(${JSON.stringify(file)}, process.env);`,
    `console.log(JSON.stringify({ fromCache: m.fromCache, answer: m.exports.answer(${n}) }));`,
    save ? 'm.save();' : '',
  ].join('\n');
  const res = spawnSync(process.execPath, ['--input-type=module', '-e', script], { env: { PATH: process.env.PATH, ...env }, encoding: 'utf8' });
  assert.is(res.status, 0, res.stderr);
  assert.is(res.stderr, '');
  return JSON.parse(res.stdout);
}

test('the cache lives under FLOWC_HOME, else XDG_CACHE_HOME, else ~/.cache', () => {
  assert.is(codeCacheDir({ FLOWC_HOME: '/x/flowc', XDG_CACHE_HOME: '/y', HOME: '/z' }), '/x/flowc/cache');
  assert.is(codeCacheDir({ XDG_CACHE_HOME: '/y', HOME: '/z' }), '/y/flowc');
  assert.is(codeCacheDir({ HOME: '/z' }), '/z/.cache/flowc');
});

test('the first load compiles and writes the cache, the next takes its code from it', () => {
  const b = bundle(body);
  assert.equal(load(b.file, b.env, 21, false), { fromCache: false, answer: join('a', '42') });
  assert.equal(cacheFiles(b.cacheDir), [], 'nothing written before save()');
  assert.equal(load(b.file, b.env, 21), { fromCache: false, answer: join('a', '42') });
  const files = cacheFiles(b.cacheDir);
  assert.is(files.length, 1);
  assert.match(files[0], new RegExp(`^tiny-a{16}-${process.version.replace(/\./g, '\\.')}-${process.arch}\\.v8$`));
  const written = statSync(join(b.cacheDir, files[0]));
  assert.equal(load(b.file, b.env, 1), { fromCache: true, answer: join('a', '2') });
  const after = statSync(join(b.cacheDir, files[0]));
  assert.is(after.ino, written.ino, 'a cache V8 accepted is not rewritten');
  assert.is(after.mtimeMs, written.mtimeMs);
});

/** `data` with every 997th byte from the 200th flipped: the header intact, the code damaged. */
function damaged(data: Buffer): Buffer {
  const out = Buffer.from(data);
  for (let i = 200; i < out.length; i += 997) out[i] ^= 0x55;
  return out;
}

test('a damaged, truncated or foreign cache is rejected by V8, the bundle still runs, and the cache is rewritten', () => {
  const b = bundle(body);
  load(b.file, b.env, 0);
  const [name] = cacheFiles(b.cacheDir);
  const path = join(b.cacheDir, name);
  const good = readFileSync(path).length;
  // A damaged cache with an intact header crashed V8 (SIGSEGV) before checksums were turned on.
  for (const bad of [damaged(readFileSync(path)), Buffer.from('not a code cache at all'), readFileSync(path).subarray(0, good >> 1), Buffer.alloc(0)]) {
    writeFileSync(path, bad);
    assert.equal(load(b.file, b.env, 2), { fromCache: false, answer: join('a', '4') });
    assert.ok(readFileSync(path).length > 100 && !readFileSync(path).equals(bad), 'rewritten');
    assert.is(load(b.file, b.env, 2).fromCache, true);
  }
});

test('a new build replaces the cache of the old one; no hash line or FLOWC_CODE_CACHE=0 means no cache', () => {
  const b = bundle(body, 'b'.repeat(64));
  load(b.file, b.env, 1);
  writeFileSync(b.file, body.replace('* 2', '* 3') + hashLine('c'.repeat(64)));
  assert.equal(load(b.file, b.env, 2), { fromCache: false, answer: join('a', '6') });
  assert.equal(cacheFiles(b.cacheDir).map((f) => f.slice(0, 21)), [`tiny-${'c'.repeat(16)}`]);

  const off = bundle(body);
  assert.is(load(off.file, { ...off.env, FLOWC_CODE_CACHE: '0' }, 1).answer, join('a', '2'));
  assert.not.ok(existsSync(off.cacheDir));
  const plain = bundle(body);
  writeFileSync(plain.file, body);
  load(plain.file, plain.env, 1);
  assert.not.ok(existsSync(plain.cacheDir));
});

test('a cache folder that cannot be made is no error', () => {
  const b = bundle(body);
  writeFileSync(join(b.dir, 'home'), 'a file where FLOWC_HOME should be a folder');
  assert.equal(load(b.file, b.env, 0), { fromCache: false, answer: join('a', '0') });
});

test('flowc check through bin/flowc.js: writes the cache under FLOWC_HOME, reuses it, survives a corrupt one', () => {
  const dir = mkdtempSync(join(tmpdir(), 'flowc-code-cache-e2e-'));
  mkdirSync(join(dir, '.git'));
  writeFileSync(join(dir, 'bad.flow'), 'flow Bad {\n  step start {\n    next nowhere\n  }\n  step end {}\n}\n');
  const env = { ...process.env, NO_COLOR: '1', FLOWC_HOME: join(dir, 'home') };
  const check = () => spawnSync(process.execPath, [join(repoRoot, 'bin', 'flowc.js'), 'check', 'bad.flow'], { cwd: dir, env, encoding: 'utf8' });
  const expectReport = (res: ReturnType<typeof check>) => {
    assert.is(res.status, 1, res.stderr);
    assert.is(res.stderr, '');
    assert.match(res.stdout, /^bad\.flow:3:10: error\[unknown-step\]/m);
  };
  const cacheDir = join(dir, 'home', 'cache');
  expectReport(check());
  const files = cacheFiles(cacheDir);
  assert.is(files.length, 1, `cache files: ${files}`);
  assert.match(files[0], /^start-[0-9a-f]{16}-/);
  const path = join(cacheDir, files[0]);
  const first = statSync(path);
  expectReport(check());
  assert.is(statSync(path).ino, first.ino, 'the second run used the cache instead of rewriting it');
  writeFileSync(path, damaged(readFileSync(path)));
  const damagedIno = statSync(path).ino;
  expectReport(check());
  assert.is.not(statSync(path).ino, damagedIno, 'the damaged cache was rewritten');
  // Other commands do not go through the start-up bundle.
  const version = spawnSync(process.execPath, [join(repoRoot, 'bin', 'flowc.js'), '--version'], { cwd: dir, env, encoding: 'utf8' });
  assert.match(version.stdout, /^flowc \d/);
});

test.run();
