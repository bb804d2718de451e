/**
 * `@parallel(nodes: N)` on local runs: N processes of the body with RANK, WORLD_SIZE, MASTER_ADDR and a free
 * MASTER_PORT that really meet (test/helpers/gang-flow.ts); node 0's outputs are the step's; a failing node fails
 * the step and stops the others.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { sandbox } from '../targets/local/helpers.ts';
import { GANG_FLOW } from '../helpers/gang-flow.ts';
import { testRoot } from '../helpers/golden.ts';

const box = sandbox();

test('every node runs the body with its rank; they meet at node 0, whose outputs the next step reads', () => {
  box.write('gang.flow', GANG_FLOW);
  const res = box.flowc(['run', 'gang.flow']);
  assert.is(res.code, 0, res.stderr);
  assert.equal(JSON.parse(box.flowc(['get', 'Gang/latest/peers']).stdout), [11, 12]);
  assert.is(box.flowc(['get', 'Gang/latest/rank']).stdout, '0\n');
  const runs = join(box.dir, '.flowc', 'runs', 'Gang');
  const [run] = readdirSync(runs);
  const rec = JSON.parse(readFileSync(join(runs, run, 'tasks', 'train', '0.json'), 'utf8'));
  assert.equal(rec.nodes.map((n: { rank: number; exitCode: number }) => [n.rank, n.exitCode]), [[1, 0], [2, 0]]);
  const show = box.flowc(['show', `Gang/${run}/train/0`]);
  assert.match(show.stdout, /node 0 of 3 met at 127\.0\.0\.1:\d+/);
});

test('one gang per foreach task, each with its own port; the join gathers node 0 values', () => {
  box.write('sweep.flow', readFileSync(join(testRoot, 'fixtures/argo/flows/parallel.flow'), 'utf8'));
  const res = box.flowc(['run', 'sweep.flow']);
  assert.is(res.code, 0, res.stderr);
  assert.is(box.flowc(['get', 'Sweep/latest/total']).stdout, '32\n');
});

test('a failing node fails the step, naming the node, and the nodes waiting for it are stopped', () => {
  box.write(
    'broken.flow',
    `flow Broken {
  @parallel(nodes: 3)
  step start {
    sh """
      if [ "$RANK" = 2 ]; then echo "node 2 gives up" >&2; exit 3; fi
      sleep 120
    """
    next end
  }
  step end {}
}
`,
  );
  const res = box.flowc(['run', 'broken.flow']);
  assert.is(res.code, 1);
  assert.match(res.stderr, /Step 'start' node 2 of 3 exited with code 3\./);
  assert.match(res.stderr, /node 2 gives up/);
});

test.run();
