/**
 * The client API as a user imports it: `import { Flow } from 'flowc'` (the package's `exports`, built into dist/)
 * reads the artifacts of a real `flowc run`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { repoRoot } from '../helpers/golden.ts';

test("import { Flow } from 'flowc' reads the latest run's artifacts", () => {
  const dir = mkdtempSync(join(tmpdir(), 'flowc-client-'));
  const datastore = join(dir, 'store');
  const env = { ...process.env, NO_COLOR: '1', FLOWC_HOME: join(dir, 'home') };
  const run = spawnSync(process.execPath, [join(repoRoot, 'bin/flowc.js'), 'run', 'samples/branches.flow', '--datastore', datastore], { cwd: repoRoot, encoding: 'utf8', env });
  assert.is(run.status, 0, run.stderr);
  // A script inside the package resolves 'flowc' to the package itself through its `exports`.
  const script = join(repoRoot, 'dist', `client-test-${process.pid}.mjs`);
  writeFileSync(
    script,
    `import { Flow } from 'flowc';
const flow = Flow('MyFlow', { datastore: ${JSON.stringify(datastore)}, namespace: null });
const run = await flow.latestRun();
const a = await run.step('a').task().artifact('x');
console.log(JSON.stringify({ status: run.status, out: await run.artifact('out'), a, runs: (await flow.runs()).length }));
`,
  );
  const res = spawnSync(process.execPath, [script], { cwd: dir, encoding: 'utf8', env });
  rmSync(script, { force: true });
  assert.is(res.status, 0, res.stderr);
  assert.equal(JSON.parse(res.stdout), { status: 'done', out: 3, a: 2, runs: 1 });
});

test.run();
