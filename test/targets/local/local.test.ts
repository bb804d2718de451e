/**
 * The local runner in-process: type validation messages, the content-addressed datastore, the scheduler on a
 * flow compiled from source, and the client API reading the run back.
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { analyze } from '../../../compiler/analyze.ts';
import { lower } from '../../../compiler/lower.ts';
import { Flow } from '../../../targets/local/client.ts';
import { FsDatastore } from '../../../targets/local/fs-datastore.ts';
import { resolveParams } from '../../../targets/local/params.ts';
import type { RunReporter } from '../../../targets/local/run.ts';
import { runFlow } from '../../../targets/local/run.ts';
import { typeChecker, typeMismatchMessage } from '../../../targets/local/validate.ts';

const quiet: RunReporter = { runStarted() {}, taskStarted() {}, taskRetry() {}, taskFinished() {}, runFinished() {} };

function check(value: unknown, type: Parameters<ReturnType<typeof typeChecker>>[1]): string | null {
  const reason = typeChecker({ types: { Stats: { type: 'object', properties: { genre: { type: 'string' }, count: { type: 'integer' } }, required: ['genre', 'count'], additionalProperties: false } } })(value, type);
  return reason && typeMismatchMessage("Output 'x' of step 'a'", type, reason);
}

test('type validation names the artifact, the expected and the actual type', () => {
  assert.is(check(3, { kind: 'int' }), null);
  assert.is(check('3', { kind: 'int' }), `Output 'x' of step 'a' should be int but is string "3".`);
  assert.is(check(2.5, { kind: 'int' }), `Output 'x' of step 'a' should be int but is float 2.5.`);
  assert.is(check([1, 'b'], { kind: 'list', element: { kind: 'int' } }), `Output 'x' of step 'a' should be [int] but has /1 = "b" (string): must be integer.`);
  assert.is(check({ genre: 'x', count: '1' }, { kind: 'record', name: 'Stats' }), `Output 'x' of step 'a' should be Stats but has /count = "1" (string): must be integer.`);
  assert.match(check({ genre: 'x' }, { kind: 'record', name: 'Stats' }) ?? '', /should be Stats but .*lacks field 'count'/);
});

test('the datastore is content-addressed and leaves no temp files', async () => {
  const ds = new FsDatastore(mkdtempSync(join(tmpdir(), 'flowc-ds-')));
  const a = await ds.putBytes('hello');
  assert.is(await ds.putBytes('hello'), a);
  assert.is((await ds.getBytes(a)).toString(), 'hello');
  await ds.writeDoc('runs/F/r1/run.json', '{}');
  await ds.writeDoc('runs/F/r2/run.json', '{}');
  assert.equal(await ds.list('runs/F'), ['r1', 'r2']);
  assert.equal(await ds.list('runs/G'), []);
  assert.is(await ds.readDoc('runs/F/none.json'), null);
  assert.equal(readdirSync(join(ds.location, 'objects', a.slice(0, 2))), [a]);
});

test('a flow compiled from source runs in-process and reads back through the client API', async () => {
  const text = `flow Api {
  param base: int = 10
  step start {
    in base: int
    out xs: [int]
    sh "xs=\\"[$base, $((base + 1)), $((base + 2))]\\""
    next sq foreach x in xs
  }
  step sq {
    in x: int
    out y: int
    sh "y=$((x * x))"
    next join
  }
  step join {
    in y: [int]
    out ys: [int]
    sh """
      ys=$(cat "$y")
    """
    next end
  }
  step end {}
}
`;
  const analysis = analyze(text, { file: 'api.flow', config: {} });
  assert.not.ok(analysis.hasErrors, JSON.stringify(analysis.diagnostics));
  const [ir] = lower(analysis);
  const dir = mkdtempSync(join(tmpdir(), 'flowc-api-'));
  const ds = new FsDatastore(join(dir, '.flowc'));
  const checker = typeChecker(ir);
  const { params, errors } = await resolveParams(ir, { base: '3' }, { ds, cwd: dir, check: checker });
  assert.equal(errors, []);
  const outcome = await runFlow({ ir, ds, params, check: checker, sourceFile: join(dir, 'api.flow'), namespace: 'user:api', tags: [], maxWorkers: 2, env: process.env, reporter: quiet });
  assert.is(outcome.run.status, 'done', JSON.stringify(outcome.failed));
  const flow = Flow('Api', { namespace: 'user:api', datastore: ds.location });
  const run = await flow.latestRun();
  assert.ok(run);
  assert.is(run!.id, outcome.run.id);
  assert.equal(await run!.artifact('ys'), [9, 16, 25]);
  assert.is(await run!.step('sq').task('1').artifact('y'), 16);
  assert.equal((await run!.step('sq').tasks()).map((t) => t.id), ['0', '1', '2']);
  assert.is(await run!.step('start').task().artifact('base'), 3);
  assert.is((await flow.runs()).length, 1);
  assert.is(await Flow('Api', { namespace: 'user:other', datastore: ds.location }).latestRun(), null);
});

test.run();
