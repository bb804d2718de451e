/**
 * A failing step, then `flowc resume`: the new run completes, reuses earlier tasks (their side effects do not
 * happen again) and re-runs steps whose code changed.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { sandbox } from '../targets/local/helpers.ts';

const box = sandbox();
const marks = join(box.dir, 'marks');
const fix = join(box.dir, 'fixed');
const env = { MARKS: marks, FIX: fix };

const flow = (aText: string) => `
flow Resumable {
  step start {
    out items: [int]
    sh """
      echo start >> "$MARKS"
      items='[1, 2, 3]'
    """
    next a foreach n in items
  }
  step a {
    in n: int
    out sq: int
    sh """
      echo "a$n" >> "$MARKS"
      sq=$(( n * n ${aText} ))
    """
    next gather
  }
  step gather {
    in sq: [int]
    out total: int
    python "total = sum(sq)"
    next b
  }
  step b {
    in total: int
    out doubled: int
    sh """
      echo b >> "$MARKS"
      echo "checking for the fix" >&2
      if [ ! -f "$FIX" ]; then echo "b cannot go on without the fix" >&2; exit 3; fi
      doubled=$(( total * 2 ))
    """
    next end
  }
  step end {}
}
`;

const lines = () => readFileSync(marks, 'utf8').trim().split('\n');

test('a failed run exits 1 naming the task, its last log lines and the resume command', () => {
  box.write('resumable.flow', flow(''));
  const res = box.flowc(['run', 'resumable.flow', '-j', '2'], { env });
  assert.is(res.code, 1);
  assert.match(res.stderr, /task b\/0 failed: Step 'b' exited with code 3\./);
  assert.match(res.stderr, /\| b cannot go on without the fix/);
  const id = /flowc resume (\S+)/.exec(res.stderr)?.[1];
  assert.ok(id, res.stderr);
  assert.equal(lines().sort(), ['a1', 'a2', 'a3', 'b', 'start']);
  assert.match(box.flowc(['runs']).stdout, /Resumable\/\S+\s+failed/);

  writeFileSync(fix, '');
  writeFileSync(marks, '');
  const resumed = box.flowc(['resume', id!], { env });
  assert.is(resumed.code, 0, resumed.stderr);
  assert.equal(lines(), ['b'], 'only b ran again');
  assert.is(box.flowc(['get', 'Resumable/latest/doubled']).stdout, '28\n');
  const show = box.flowc(['show', 'Resumable/latest']);
  assert.match(show.stdout, /resumed from \S+ at step 'b'/);
  assert.match(show.stdout, /a -> gather: 3 reused/);
});

test('resume re-runs a step whose code changed, and what follows it', () => {
  const first = box.flowc(['runs', 'Resumable', '--json']);
  const failedId = (JSON.parse(first.stdout) as { run: string; status: string }[]).find((r) => r.status === 'failed')!.run;
  box.write('resumable.flow', flow('+ 1'));
  writeFileSync(marks, '');
  const resumed = box.flowc(['resume', failedId], { env });
  assert.is(resumed.code, 0, resumed.stderr);
  assert.equal(lines().sort(), ['a1', 'a2', 'a3', 'b']);
  assert.is(box.flowc(['get', 'Resumable/latest/doubled']).stdout, `${(2 + 5 + 10) * 2}\n`);
  assert.ok(existsSync(fix));
});

test('resume --from reruns from the given step; unknown steps are named', () => {
  const latest = JSON.parse(box.flowc(['runs', 'Resumable', '--json']).stdout)[0].run as string;
  writeFileSync(marks, '');
  const res = box.flowc(['resume', latest, '--from', 'gather'], { env });
  assert.is(res.code, 0, res.stderr);
  assert.equal(lines(), ['b']);
  const bad = box.flowc(['resume', latest, '--from', 'nope'], { env });
  assert.is(bad.code, 1);
  assert.match(bad.stderr, /has no step 'nope'/);
});

test('resume on an engine refuses a run kept on this disk, which pods and jobs cannot reach', () => {
  const latest = JSON.parse(box.flowc(['runs', 'Resumable', '--json']).stdout)[0].run as string;
  for (const target of ['argo', 'batch']) {
    const res = box.flowc(['resume', latest, '--target', target], { env });
    assert.is(res.code, 1, `${target}: ${res.stdout}`);
    assert.is(res.stdout, '', target);
    assert.match(res.stderr, /which (pods on Argo|Batch jobs) cannot reach; resume a run kept in S3/);
  }
});

test('resume after a failed foreach task reuses the tasks of that step that finished', () => {
  const fixFe = join(box.dir, 'fixed-fe');
  box.write(
    'fanout.flow',
    `
flow Fanout {
  step start {
    out items: [int]
    python "items = [0, 1, 2]"
    next work foreach n in items
  }
  step work {
    in n: int
    out sq: int
    sh """
      echo "work$n" >> "$MARKS"
      if [ "$n" = 1 ] && [ ! -f "$FIX_FE" ]; then echo "work 1 needs the fix" >&2; exit 4; fi
      sq=$(( n * n ))
    """
    next join
  }
  step join {
    in sq: [int]
    out total: int
    python "total = sum(sq)"
    next end
  }
  step end {}
}
`,
  );
  writeFileSync(marks, '');
  const feEnv = { ...env, FIX_FE: fixFe };
  const res = box.flowc(['run', 'fanout.flow', '-j', '1'], { env: feEnv });
  assert.is(res.code, 1, res.stderr);
  assert.equal(lines(), ['work0', 'work1'], 'one worker: work/2 never started');
  const id = /flowc resume (\S+)/.exec(res.stderr)?.[1];
  writeFileSync(fixFe, '');
  writeFileSync(marks, '');
  const resumed = box.flowc(['resume', id!, '-j', '1'], { env: feEnv });
  assert.is(resumed.code, 0, resumed.stderr);
  assert.equal(lines(), ['work1', 'work2'], 'work/0 finished in the failed run and is not run again');
  assert.is(box.flowc(['get', 'Fanout/latest/total']).stdout, '5\n');
  const show = box.flowc(['show', 'Fanout/latest']);
  assert.match(show.stdout, /resumed from \S+ at step 'work'/);
  assert.match(show.stdout, /work -> join: 1 reused, 2 done/);
});

test.run();
