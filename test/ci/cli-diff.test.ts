/** `flowc diff` through the real binary: two files, `--base REV` from git, formats, exit codes, hostile revisions. */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MARKDOWN_MARKER } from '../../targets/diff/index.ts';
import { repoRoot } from '../helpers/golden.ts';
import { assertClean, runFlowc, tempProject } from '../hardening/run-flowc.ts';

const v1 = readFileSync(join(repoRoot, 'samples', 'genres.flow'), 'utf8');
const v2 = v1
  .replace('@retry(times: 3)', '@retry(times: 5)\n  @resources(cpu: 2, memory: 4GiB)')
  .replace('step publish {', 'step announce {')
  .replace('"drama" -> publish', '"drama" -> announce')
  .replace('out best: string', 'out best: string\n    out runner_up: string')
  .replace(`python "best = max(stats, key=lambda s: s['count'])['genre']"`, `python "best = max(stats, key=lambda s: s['count'])['genre']; runner_up = best"`)
  .replace('@schedule(cron: "0 3 * * *")', '@schedule(cron: "0 4 * * *")');

const dir = tempProject({ 'old.flow': v1, 'new.flow': v2, 'same.flow': v1, 'broken.flow': 'flow B {\n  step start { next trian }\n  step end {}\n}\n' });

function flowc(args: string[], expected: number, cwd = dir) {
  const run = runFlowc(args, { cwd });
  assertClean(run, args.join(' '), [expected]);
  return run;
}

test('two files, text: renames, settings and schedule', () => {
  const out = flowc(['diff', 'old.flow', 'new.flow'], 0).stdout;
  assert.match(out, 'flow Genres:');
  assert.match(out, '~ step announce (renamed from publish)');
  assert.match(out, 'retry: 3 times -> 5 times');
  assert.match(out, 'resources.cpu: added (2)');
  assert.match(out, 'output runner_up: added (string)');
  assert.match(out, 'schedule: 0 3 * * * (UTC) -> 0 4 * * * (UTC)');
});

test('json and markdown', () => {
  const json = JSON.parse(flowc(['diff', 'old.flow', 'new.flow', '--format', 'json'], 0).stdout);
  assert.is(json.version, 1);
  assert.is(json.changed, true);
  assert.ok(json.flows[0].steps.some((s: { kind: string; from?: string; step: string }) => s.kind === 'renamed' && s.from === 'publish' && s.step === 'announce'));
  const md = flowc(['diff', 'old.flow', 'new.flow', '--format', 'markdown'], 0).stdout;
  assert.ok(md.startsWith(MARKDOWN_MARKER));
  assert.match(md, '```mermaid');
  assert.match(md, 'class n_announce changed');
  assert.match(md, 'class n_count changed');
});

test('no changes; --exit-code', () => {
  assert.is(flowc(['diff', 'old.flow', 'same.flow'], 0).stdout, 'flow Genres: no changes\n');
  flowc(['diff', 'old.flow', 'same.flow', '--exit-code'], 0);
  flowc(['diff', 'old.flow', 'new.flow', '--exit-code'], 1);
});

test('a version with errors exits 1 naming it', () => {
  assert.match(flowc(['diff', 'old.flow', 'broken.flow'], 1).stderr, "'broken.flow' has errors");
  flowc(['diff', 'old.flow'], 2);
  flowc(['diff', 'old.flow', 'new.flow', '--format', 'html'], 2);
});

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.invalid', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.invalid' } });

test('--base REV reads the old version from git', () => {
  const repo = tempProject({});
  execFileSync('rm', ['-rf', join(repo, '.git')]);
  git(repo, 'init', '-q');
  execFileSync('mkdir', ['-p', join(repo, 'flows')]);
  writeFileSync(join(repo, 'flows', 'genres.flow'), v1);
  git(repo, 'add', '.');
  git(repo, 'commit', '-q', '-m', 'v1');
  writeFileSync(join(repo, 'flows', 'genres.flow'), v2);
  // From the repository root and from the file's own directory.
  assert.match(flowc(['diff', 'flows/genres.flow', '--base', 'HEAD'], 0, repo).stdout, 'renamed from publish');
  assert.match(flowc(['diff', 'genres.flow', '--base', 'HEAD'], 0, join(repo, 'flows')).stdout, 'renamed from publish');
  const md = flowc(['diff', 'flows/genres.flow', '--base', 'HEAD', '--format', 'markdown'], 0, repo).stdout;
  assert.match(md, 'Compared with `HEAD`.');
  // A file that did not exist at the base is all new.
  writeFileSync(join(repo, 'flows', 'fresh.flow'), v1);
  assert.match(flowc(['diff', 'flows/fresh.flow', '--base', 'HEAD'], 0, repo).stdout, 'flow Genres: added, 6 steps');
});

test('--base never lets a revision become a shell command or an option', () => {
  const repo = tempProject({});
  execFileSync('rm', ['-rf', join(repo, '.git')]);
  git(repo, 'init', '-q');
  writeFileSync(join(repo, 'g.flow'), v1);
  git(repo, 'add', '.');
  git(repo, 'commit', '-q', '-m', 'v1');
  for (const rev of ['HEAD; touch pwned', '$(touch pwned)', '`touch pwned`', 'nope', 'HEAD:../../etc/passwd']) {
    const run = flowc(['diff', 'g.flow', '--base', rev], 2, repo);
    assert.match(run.stderr, /revision/);
  }
  flowc(['diff', 'g.flow', '--base=--output=pwned'], 2, repo);
  assert.not.ok(existsSync(join(repo, 'pwned')), 'no file was created');
});

test.run();
