/**
 * Language constructs on local runs. @catch: a failed task's outputs are absent, a gather as [T?] gets null for it, and the catch
 * variable (a Failure record, null on success) is gathered one entry per task. `pass` at a join. Bounded loops.
 * `@max_workers` on a foreach step.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { pythonException } from '../../../targets/local/task.ts';
import { testRoot } from '../../helpers/golden.ts';
import { runSource } from './helpers.ts';

test('the exception type comes from the last line of a Python traceback', () => {
  assert.equal(pythonException(['Traceback (most recent call last):', '  File "<string>", line 1, in <module>', 'ZeroDivisionError: division by zero']), {
    type: 'ZeroDivisionError',
    message: 'division by zero',
  });
  assert.equal(pythonException(['  File "<string>", line 3, in f', 'mymod.errors.BadInput']), { type: 'BadInput', message: '' });
  assert.is(pythonException(['sh: 1: nope: not found']), undefined);
});

test('a foreach whose tasks may fail: [float?] gets null for the failed task, and the catch variable one entry per task', async () => {
  const { outcome, run } = await runSource(readFileSync(join(testRoot, 'cases', 'check', 'ok', 'catch.flow'), 'utf8'));
  assert.is(outcome.run.status, 'done', JSON.stringify(outcome.failed));
  assert.equal(await run.artifact('ok'), [10, 5]);
  assert.equal(await run.artifact('errors'), ['ZeroDivisionError']);
  const failed = (await run.step('divide').task('0').artifact('failed')) as Record<string, unknown>;
  assert.is(failed.type, 'ZeroDivisionError');
  assert.match(String(failed.message), 'division by zero');
  assert.is(failed.attempts, 1);
  assert.is(failed.exit_code, 1);
  assert.is(await run.step('divide').task('1').artifact('failed'), null);
});

test('pass at a join: artifacts one branch produced, or visible before the split, go on past it', async () => {
  const { outcome, run } = await runSource(readFileSync(join(testRoot, 'cases', 'check', 'ok', 'pass.flow'), 'utf8'));
  assert.is(outcome.run.status, 'done', JSON.stringify(outcome.failed));
  assert.is(await run.artifact('summary'), 'tree fast b 0.7');
});

test('a bounded loop: the latest value after it, and past @loop(max) the run fails naming the step and N', async () => {
  const text = readFileSync(join(testRoot, 'cases', 'check', 'ok', 'loop.flow'), 'utf8');
  const { outcome, run } = await runSource(text);
  assert.is(outcome.run.status, 'done', JSON.stringify(outcome.failed));
  assert.equal((await run.step('train').tasks()).map((t) => t.id), ['0', '0r1', '0r2']);
  assert.is(await run.step('end').task().artifact('model'), 'v3');
  // Read by name, an artifact a loop wrote is its latest iteration's (as `flowc get` gives it).
  assert.is(await run.artifact('model'), 'v3');
  const tight = await runSource(text.replace('@loop(max: 5)', '@loop(max: 2)'));
  assert.is(tight.outcome.run.status, 'failed');
  assert.is(tight.outcome.run.failed?.step, 'evaluate');
  assert.match(tight.outcome.run.failed?.message ?? '', "Step 'evaluate' went back to 'train' after 2 iterations of its loop, but @loop(max: 2) allows at most 2.");
});

const big = `flow Big {
  image "python:3.12-slim"

  step start {
    out n: int
    out nums: [int]
    python "n = 2**53 + 1; nums = [2**62, -2**63]"
    next check
  }

  step check {
    in n
    in nums
    out same: bool
    out m: int
    python "same = n == 2**53 + 1 and nums[0] == 2**62; m = n + 1"
    next end
  }

  step end {}
}
`;

test('64-bit integers stay exact between steps and in the client; beyond 64 bits the task fails naming the value', async () => {
  const { outcome, run } = await runSource(big);
  assert.is(outcome.run.status, 'done', JSON.stringify(outcome.failed));
  assert.is(await run.artifact('same'), true);
  assert.is(await run.artifact('m'), 9007199254740994n);
  assert.equal(await run.step('start').task().artifact('nums'), [4611686018427387904n, -9223372036854775808n]);
  const over = await runSource(big.replace('n = 2**53 + 1;', 'n = 2**63;'));
  assert.is(over.outcome.run.status, 'failed');
  assert.match(over.outcome.run.failed?.message ?? '', "Output 'n' of step 'start' holds the integer 9223372036854775808, outside the 64-bit range of int");
});

test('@max_workers(2) on a foreach: at most 2 of its tasks run at once, with 4 workers free', async () => {
  // Each task holds a marker file while it runs and records how many markers it saw: never more than the bound.
  const text = `flow Bounded {
  @max_workers(2)
  step start {
    out xs: [int]
    python "xs = list(range(6))"
    next work foreach x in xs
  }
  step work {
    in x: int
    out seen: int
    python """
import os, time
os.makedirs("markers", exist_ok=True)
me = os.path.join("markers", str(x))
open(me, "w").close()
seen = 0
for _ in range(8):
    seen = max(seen, len(os.listdir("markers")))
    time.sleep(0.03)
os.remove(me)
"""
    next join
  }
  step join {
    in seen: [int]
    out most: int
    python "most = max(seen)"
    next end
  }
  step end {}
}
`;
  const { outcome, run } = await runSource(text);
  assert.is(outcome.run.status, 'done', JSON.stringify(outcome.failed));
  const most = (await run.artifact('most')) as number;
  assert.ok(most >= 1 && most <= 2, `saw ${most} tasks at once`);
});

test('integer literals beyond 2^53 stay exact: a parameter default and a switch case', async () => {
  const { outcome, run } = await runSource(readFileSync(join(testRoot, 'cases', 'check', 'ok', 'big-int.flow'), 'utf8'));
  assert.is(outcome.run.status, 'done', JSON.stringify(outcome.failed));
  assert.is(await run.artifact('n'), 9007199254740993n);
  assert.is(await run.artifact('f'), 9007199254740992);
  assert.is(await run.step('start').task().artifact('m'), 9007199254740994n);
  // 9007199254740994 matched its case exactly: `hit` ran, `miss` did not.
  assert.equal((await run.step('hit').tasks()).length, 1);
  assert.equal((await run.step('miss').tasks()).length, 0);
});

test.run();
