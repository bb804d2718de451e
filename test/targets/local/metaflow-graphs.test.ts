/**
 * Metaflow's own test graphs (test/core/graphs/*.json in Netflix/metaflow, the recursive ones included), ported
 * under test/cases/metaflow/:
 * each checks without errors, builds for Argo and Batch, and runs locally with the tasks Metaflow would run
 * (test/helpers/metaflow.ts; test/targets/metaflow-engines.test.ts runs them on Argo and Step Functions).
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
import { corpusDir, expectedTasks } from '../../helpers/metaflow.ts';

const dir = corpusDir;
const quiet: RunReporter = { runStarted() {}, taskStarted() {}, taskRetry() {}, taskFinished() {}, runFinished() {} };

const files = readdirSync(dir).filter((f) => f.endsWith('.flow')).sort();
const expected = expectedTasks;

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
    const batch = buildBatch(ir, { config: { datastore: 's3://flowc-test-bucket/runs', batch: { jobQueue: 'q', jobRoleArn: 'arn:aws:iam::123456789012:role/r' } }, sourceFile: `test/cases/metaflow/${file}` });
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
