/** `flowc run` on the samples, end to end through the built binary: results readable with `get`, `show`, `runs`. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { root, sandbox } from '../targets/local/helpers.ts';

const box = sandbox();

test('the seed branch flow gives out = 3, readable with flowc get from another directory', () => {
  const res = box.flowc(['run', join(root, 'samples', 'branches.flow'), '--datastore', join(box.dir, 'store')]);
  assert.is(res.code, 0, res.stderr);
  assert.match(res.stdout, /out = 3\nRead it with: flowc get MyFlow\/\S+\/out\n/);
  const got = box.flowc(['get', 'MyFlow/latest/out'], { cwd: box.env.HOME });
  assert.is(got.code, 0, got.stderr);
  assert.is(got.stdout, '3\n');
  const runs = box.flowc(['runs', 'MyFlow']);
  assert.match(runs.stdout, /MyFlow\/\S+\s+done/);
  const show = box.flowc(['show', 'MyFlow/latest']);
  assert.match(show.stdout, /start -> a, b: 1 done/);
  assert.match(show.stdout, /join\/0 done [\d.]+s {2}out: int = 3/);
});

test('a run with no results says so and offers show, not get', () => {
  box.write('quiet.flow', 'flow Quiet {\n  step start {\n    python "pass"\n    next end\n  }\n  step end {}\n}\n');
  const res = box.flowc(['run', 'quiet.flow']);
  assert.is(res.code, 0, res.stderr);
  assert.match(res.stdout, /The flow declares no results\. Its steps and artifacts: flowc show Quiet\/\S+\n$/);
  assert.not.match(res.stdout, /flowc get/);
});

test('the foreach sample gathers in list order', () => {
  box.write('genres.flow', readFileSync(join(root, 'samples', 'genres.flow'), 'utf8'));
  const res = box.flowc(['run', 'genres.flow', '--param', 'limit=55', '--max-workers', '3']);
  assert.is(res.code, 0, res.stderr);
  const got = box.flowc(['get', 'Genres/latest/stats', '--json']);
  assert.equal(JSON.parse(got.stdout), [
    { genre: 'drama', count: 50 },
    { genre: 'comedy', count: 55 },
    { genre: 'horror', count: 55 },
  ]);
  assert.is(box.flowc(['get', 'Genres/latest/count/2/stats', '--json']).stdout.replace(/\s/g, ''), '{"genre":"horror","count":55}');
  assert.is(box.flowc(['get', 'Genres/latest/best']).stdout, 'comedy\n');
  // Misspelt names get a suggestion, from what the datastore holds.
  const artifact = box.flowc(['get', 'Genres/latest/bset']);
  assert.is(artifact.code, 1);
  assert.match(artifact.stderr, /has no artifact 'bset'\. Did you mean 'best'\?/);
  const flow = box.flowc(['get', 'Genre/latest/best']);
  assert.is(flow.code, 1);
  assert.match(flow.stderr, /no run Genre\/latest.*\. Did you mean 'Genres'\?/);
  assert.match(box.flowc(['get', 'Genres/latest/cuont/stats']).stderr, /has no step 'cuont'\. Did you mean 'count'\?/);
});

test.run();
