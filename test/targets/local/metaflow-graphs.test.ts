/**
 * Metaflow's own test graphs (test/core/graphs/*.json in Netflix/metaflow, the recursive ones included), ported
 * under test/cases/metaflow/:
 * each checks without errors, builds for Argo and Batch, and runs locally with the tasks Metaflow would run.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { analyze } from '../../../compiler/analyze.ts';
import { lower } from '../../../compiler/lower.ts';
import { buildArgo } from '../../../targets/argo/index.ts';
import { buildBatch } from '../../../targets/batch/index.ts';
import { FsDatastore } from '../../../targets/local/fs-datastore.ts';
import { resolveParams } from '../../../targets/local/params.ts';
import { runFlow, type RunReporter } from '../../../targets/local/run.ts';
import { typeChecker } from '../../../targets/local/validate.ts';
import { testRoot } from '../../helpers/golden.ts';

const dir = join(testRoot, 'cases', 'metaflow');
const quiet: RunReporter = { runStarted() {}, taskStarted() {}, taskRetry() {}, taskFinished() {}, runFinished() {} };

/** Per graph: the number of tasks each step runs (steps not listed run none). */
const expected: Record<string, Record<string, number>> = {
  branch: { start: 1, a: 1, b: 1, join: 1, end: 1 },
  foreach: { start: 1, foreach_split: 1, foreach_inner_first: 3, foreach_inner_second: 3, foreach_join: 1, end: 1 },
  'small-foreach': { start: 1, foreach_split: 1, foreach_inner: 3, foreach_join: 1, end: 1 },
  'nested-foreach': { start: 1, foreach_split_x: 1, foreach_split_y: 3, foreach_split_z: 6, foreach_inner: 36, foreach_join_z: 6, foreach_join_y: 3, foreach_join_x: 1, end: 1 },
  parallel: { start: 1, parallel_split: 1, parallel_inner: 4, parallel_join: 1, end: 1 },
  switch: { start: 1, switch_step: 1, high_branch: 1, end: 1 },
  'switch-basic': { start: 1, switch_step: 1, b: 1, end: 1 },
  'switch-nested': { start: 1, switch2: 1, d: 1, end: 1 },
  'switch-fanout': { start: 1, switch_step: 1, miss: 1, clip: 1, face: 1, join_miss: 1, end: 1 },
  'switch-in-branch': { start: 1, a: 1, b: 1, c: 1, join: 1, end: 1 },
  'switch-in-foreach': { start: 1, process_item: 3, handle_a: 2, handle_b: 1, join: 1, end: 1 },
  'branch-in-switch': { start: 1, process_branch: 1, p1: 1, p2: 1, process_join: 1, end: 1 },
  'foreach-in-switch': { start: 1, process_items: 1, do_work: 2, join_work: 1, end: 1 },
  'recursive-switch': { start: 1, loop_step: 3, exit_loop: 1, end: 1 },
  'recursive-switch-inside-foreach': { start: 1, start_loop_for_item: 3, loop_body: 6, exit_item_loop: 3, join: 1, end: 1 },
};

const files = readdirSync(dir).filter((f) => f.endsWith('.flow')).sort();

test('every ported graph has expectations', () => {
  assert.equal(files.map((f) => f.slice(0, -5)).sort(), Object.keys(expected).sort());
});

for (const file of files) {
  const name = file.slice(0, -5);
  test(`${name}: checks, builds for Argo and Batch, and runs locally`, async () => {
    const analysis = analyze(readFileSync(join(dir, file), 'utf8'), { file: `test/cases/metaflow/${file}`, config: {} });
    assert.equal(analysis.diagnostics.map((d) => `${d.code}: ${d.message}`), []);
    const [ir] = lower(analysis);
    const argo = buildArgo(ir, { config: {}, sourceFile: `test/cases/metaflow/${file}` });
    assert.equal(argo.diagnostics.filter((d) => d.severity === 'error'), [], 'argo');
    const batch = buildBatch(ir, { config: { batch: { jobQueue: 'q', s3Root: 's3://flowc-test-bucket/runs', jobRoleArn: 'arn:aws:iam::123456789012:role/r' } }, sourceFile: `test/cases/metaflow/${file}` });
    assert.equal(batch.diagnostics.filter((d) => d.severity === 'error'), [], 'batch');

    const root = mkdtempSync(join(tmpdir(), 'flowc-mf-'));
    const ds = new FsDatastore(join(root, '.flowc'));
    const check = typeChecker(ir);
    const { params } = await resolveParams(ir, {}, { ds, cwd: root, check });
    const outcome = await runFlow({ ir, ds, params, check, sourceFile: join(root, file), namespace: 'user:test', tags: [], maxWorkers: 4, env: process.env, reporter: quiet, runId: 'r1' });
    assert.is(outcome.run.status, 'done', JSON.stringify(outcome.failed));
    const counts: Record<string, number> = {};
    for (const step of await ds.list(`runs/${ir.name}/r1/tasks`)) counts[step] = (await ds.list(`runs/${ir.name}/r1/tasks/${step}`)).length;
    assert.equal(counts, expected[name]);
  });
}

test.run();
