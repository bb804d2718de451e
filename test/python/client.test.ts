/**
 * The Python client (clients/python/flowc/client.py) as a notebook uses it: the example of
 * clients/python/README.md runs against a real `flowc run`, and with no `datastore=` the client finds the runs
 * where the `flowc` commands do (flowc.yaml's datastore, the nearest `.flowc/`). Reading runs from S3 and from a
 * copy of a prefix, compared value by value with `flowc get`, is in test/e2e/run-remote-read.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { sandbox } from '../targets/local/helpers.ts';
import { root } from './helpers.ts';

const box = sandbox();
box.write('branches.flow', readFileSync(join(root, 'samples/branches.flow'), 'utf8'));
box.write('flowc.yaml', 'image: python:3.12-slim\ndatastore: ./team-runs  # shared with the notebooks\n');

const python = (source: string, cwd = box.dir) => {
  const res = spawnSync('python3', ['-c', source], { cwd, env: { ...box.env, PYTHONPATH: join(root, 'clients/python') }, encoding: 'utf8' });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
};

test("the notebook example of clients/python/README.md runs against flowc run's datastore", () => {
  const run = box.flowc(['run', 'branches.flow']);
  assert.is(run.code, 0, run.stderr);
  const readme = readFileSync(join(root, 'clients/python/README.md'), 'utf8');
  const block = /```python\n([\s\S]*?)```/.exec(readme)?.[1];
  assert.ok(block?.includes('"s3://ml-runs/flowc"'));
  const res = python(block!.replace('"s3://ml-runs/flowc"', JSON.stringify(join(box.dir, 'team-runs'))));
  assert.is(res.code, 0, res.stderr);
  assert.match(res.stdout, /^\d{8}T\d{6}-[0-9a-f]{4} done \d{4}-/);
});

test('without datastore=, the client searches where flowc does: flowc.yaml, then the nearest .flowc/', () => {
  const sub = join(box.dir, 'notebooks');
  mkdirSync(sub, { recursive: true });
  const fromYaml = python('from flowc import Flow\nprint(Flow("MyFlow").latest_run.data.out)', sub);
  assert.is(fromYaml.code, 0, fromYaml.stderr);
  assert.is(fromYaml.stdout, '3\n');
  const other = join(box.dir, 'other');
  box.write('other/branches.flow', readFileSync(join(root, 'samples/branches.flow'), 'utf8'));
  box.write('other/.git/HEAD', '');
  assert.is(box.flowc(['run', 'branches.flow'], { cwd: other }).code, 0);
  const fromDotFlowc = python('from flowc import Flow, get_namespace\nr = Flow("MyFlow").latest_run\nprint(r.datastore.endswith("other/.flowc"), get_namespace())', other);
  assert.is(fromDotFlowc.stdout, 'True user:tester\n', fromDotFlowc.stderr);
  const none = python('from flowc import Flow\nFlow("Nope")', other);
  assert.is(none.code, 1);
  assert.match(none.stderr, /flowc\.client\.NotFound: No flow 'Nope' in .*other\/\.flowc/);
});

test.run();
