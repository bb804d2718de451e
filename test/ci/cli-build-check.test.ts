/**
 * `flowc build --check`, the GitOps guard: up-to-date manifests exit 0; stale or missing ones exit 1 and are
 * listed; nothing is written; and since builds are deterministic the check never flaps.
 */
import { cpSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { repoRoot } from '../helpers/golden.ts';
import { assertClean, runFlowc, tempProject } from '../hardening/run-flowc.ts';

const dir = tempProject({});
cpSync(join(repoRoot, 'samples'), dir, { recursive: true });
// As a project that deploys sets them: a datastore in S3 (Batch builds need one; the samples leave it to --datastore),
// and a region, which train.flow's secret needs to become a Secrets Manager ARN on Batch.
const config = readFileSync(join(dir, 'flowc.yaml'), 'utf8');
const withRegion = /^\s+region:/m.test(config) ? config : config.replace(/^batch:\n/m, 'batch:\n  region: eu-west-1\n');
writeFileSync(join(dir, 'flowc.yaml'), /^datastore:/m.test(withRegion) ? withRegion : `datastore: s3://ml-artifacts/flowc\n${withRegion}`);

function flowc(args: string[], expected: number) {
  const run = runFlowc(args, { cwd: dir });
  assertClean(run, args.join(' '), [expected]);
  return run;
}

function snapshot(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(root, p)] = readFileSync(p, 'utf8');
    }
  };
  walk(root);
  return out;
}

for (const target of ['argo', 'batch', 'ir']) {
  test(`${target}: fresh output passes, then stale and missing files are listed`, () => {
    const out = `deploy-${target}`;
    rmSync(join(dir, out), { recursive: true, force: true });
    const missing = flowc(['build', 'genres.flow', '--target', target, '--out', out, '--check'], 1);
    assert.match(missing.stdout, `missing: ${out}/`);
    assert.match(missing.stdout, `flowc build genres.flow --target ${target} --out ${out}`);
    assert.not.ok(readdirSync(dir).includes(out), '--check writes nothing');

    flowc(['build', 'genres.flow', '--target', target, '--out', out], 0);
    const written = snapshot(join(dir, out));
    const names = Object.keys(written);
    assert.ok(names.length > 0);
    assert.match(flowc(['build', 'genres.flow', '--target', target, '--out', out, '--check'], 0).stdout, 'up to date');

    // Stale: one file edited, one deleted.
    writeFileSync(join(dir, out, names[0]), written[names[0]] + '\n# edited by hand\n');
    if (names.length > 1) rmSync(join(dir, out, names[1]));
    const stale = flowc(['build', 'genres.flow', '--target', target, '--out', out, '--check'], 1);
    assert.match(stale.stdout, `stale: ${out}/${names[0]}`);
    if (names.length > 1) assert.match(stale.stdout, `missing: ${out}/${names[1]}`);
    assert.is(readFileSync(join(dir, out, names[0]), 'utf8'), written[names[0]] + '\n# edited by hand\n', '--check leaves files alone');

    // Rebuilding restores byte-identical files, and extra files in DIR are not the check's business. It prints
    // what it wrote and counts what was already up to date.
    const rebuilt = flowc(['build', 'genres.flow', '--target', target, '--out', out], 0);
    assert.equal(snapshot(join(dir, out)), written);
    const kept = names.length - Math.min(names.length, 2);
    const lines = rebuilt.stdout.trimEnd().split('\n');
    assert.equal(lines.filter((l) => l.startsWith('wrote ')).sort(), names.slice(0, 2).map((n) => `wrote ${out}/${n}`).sort());
    assert.equal(lines.filter((l) => !l.startsWith('wrote ')), kept ? [`${kept} ${kept === 1 ? 'file' : 'files'} in ${out} already up to date`] : []);

    // A rebuild replaces only what differs: an edit that keeps the size is found (the bytes are compared), and an
    // unchanged file is left in place (same inode).
    writeFileSync(join(dir, out, names[0]), written[names[0]].replace(/[a-z]/, (c) => (c === 'a' ? 'b' : 'a')));
    const last = join(dir, out, names[names.length - 1]);
    const inode = names.length > 1 ? statSync(last).ino : undefined;
    flowc(['build', 'genres.flow', '--target', target, '--out', out], 0);
    assert.equal(snapshot(join(dir, out)), written);
    if (inode !== undefined) assert.is(statSync(last).ino, inode, 'an unchanged file is not rewritten');
    writeFileSync(join(dir, out, 'README.md'), 'hand-written\n');
    flowc(['build', 'genres.flow', '--target', target, '--out', out, '--check'], 0);
  });
}

test('builds are deterministic: two builds of every sample are byte-identical, so the check never flaps', () => {
  for (const sample of ['branches', 'genres', 'switch', 'train']) {
    for (const target of ['argo', 'batch']) {
      flowc(['build', `${sample}.flow`, '--target', target, '--out', `a/${sample}-${target}`], 0);
      flowc(['build', `${sample}.flow`, '--target', target, '--out', `b/${sample}-${target}`], 0);
      assert.equal(snapshot(join(dir, 'a', `${sample}-${target}`)), snapshot(join(dir, 'b', `${sample}-${target}`)), `${sample} ${target}`);
    }
  }
});

test('a flow with errors fails the check with its errors, writing nothing', () => {
  writeFileSync(join(dir, 'broken.flow'), 'flow B {\n  step start { next trian }\n  step end {}\n}\n');
  const run = flowc(['build', 'broken.flow', '--target', 'argo', '--out', 'deploy-broken', '--check'], 1);
  assert.match(run.stderr, 'unknown-step');
  assert.not.ok(readdirSync(dir).includes('deploy-broken'));
});

test('--check without --out is a usage error', () => {
  flowc(['build', 'genres.flow', '--target', 'argo', '--check'], 2);
});

test.run();
