/**
 * @catch on a local run: a failed task's outputs are absent, a gather as [T?] gets null for it, and the catch
 * variable (a Failure record, null on success) is gathered one entry per task.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { analyze } from '../../../compiler/analyze.ts';
import { lower } from '../../../compiler/lower.ts';
import { Flow } from '../../../targets/local/client.ts';
import { FsDatastore } from '../../../targets/local/fs-datastore.ts';
import { resolveParams } from '../../../targets/local/params.ts';
import { runFlow, type RunReporter } from '../../../targets/local/run.ts';
import { pythonException } from '../../../targets/local/task.ts';
import { typeChecker } from '../../../targets/local/validate.ts';
import { testRoot } from '../../helpers/golden.ts';

const quiet: RunReporter = { runStarted() {}, taskStarted() {}, taskRetry() {}, taskFinished() {}, runFinished() {} };

test('the exception type comes from the last line of a Python traceback', () => {
  assert.equal(pythonException(['Traceback (most recent call last):', '  File "<string>", line 1, in <module>', 'ZeroDivisionError: division by zero']), {
    type: 'ZeroDivisionError',
    message: 'division by zero',
  });
  assert.equal(pythonException(['  File "<string>", line 3, in f', 'mymod.errors.BadInput']), { type: 'BadInput', message: '' });
  assert.is(pythonException(['sh: 1: nope: not found']), undefined);
});

test('a foreach whose tasks may fail: [float?] gets null for the failed task, and the catch variable one entry per task', async () => {
  const text = readFileSync(join(testRoot, 'cases', 'check', 'ok', 'catch.flow'), 'utf8');
  const analysis = analyze(text, { file: 'catch.flow', config: {} });
  assert.not.ok(analysis.hasErrors);
  const [ir] = lower(analysis);
  const dir = mkdtempSync(join(tmpdir(), 'flowc-catch-'));
  const ds = new FsDatastore(join(dir, '.flowc'));
  const check = typeChecker(ir);
  const { params } = await resolveParams(ir, {}, { ds, cwd: dir, check });
  const outcome = await runFlow({ ir, ds, params, check, sourceFile: join(dir, 'catch.flow'), namespace: 'user:t', tags: [], maxWorkers: 3, env: process.env, reporter: quiet });
  assert.is(outcome.run.status, 'done', JSON.stringify(outcome.failed));
  const run = (await Flow('Divide', { namespace: 'user:t', datastore: ds.location }).latestRun())!;
  assert.equal(await run.artifact('ok'), [10, 5]);
  assert.equal(await run.artifact('errors'), ['ZeroDivisionError']);
  const failed = (await run.step('divide').task('0').artifact('failed')) as Record<string, unknown>;
  assert.is(failed.type, 'ZeroDivisionError');
  assert.match(String(failed.message), 'division by zero');
  assert.is(failed.attempts, 1);
  assert.is(failed.exit_code, 1);
  assert.is(await run.step('divide').task('1').artifact('failed'), null);
});

test.run();
