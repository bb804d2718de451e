/**
 * Crash safety: a run killed in the middle of a task leaves no record of that task, and `flowc resume` runs it
 * again while reusing what finished before.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { openDatastore } from '../../targets/local/datastore.ts';
import { STALE_TMP_MS } from '../../targets/local/fs-datastore.ts';
import { sandbox, waitFor } from '../targets/local/helpers.ts';

const box = sandbox();
const marks = join(box.dir, 'marks');
const pidFile = join(box.dir, 'slow.pid');
const env = { MARKS: marks, PIDFILE: pidFile };

test('kill a run mid-task, then resume it', async () => {
  box.write(
    'crash.flow',
    `flow Crashy {
  step start {
    out x: int
    sh """
      echo start >> "$MARKS"
      x=20
    """
    next slow
  }
  step slow {
    in x: int
    out y: int
    sh """
      echo slow >> "$MARKS"
      if [ ! -f "$PIDFILE" ]; then echo $$ > "$PIDFILE"; sleep 30; fi
      y=$(( x + 1 ))
    """
    next end
  }
  step end {}
}
`,
  );
  const child = box.spawnFlowc(['run', 'crash.flow'], { env });
  await waitFor(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim() !== '');
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  try {
    process.kill(-Number(readFileSync(pidFile, 'utf8').trim()), 'SIGKILL');
  } catch {
    // Already gone.
  }
  const runsDir = join(box.dir, '.flowc', 'runs', 'Crashy');
  const [runId] = readdirSync(runsDir);
  assert.equal(readdirSync(join(runsDir, runId, 'tasks')), ['start'], 'no record for the killed task');
  assert.match(box.flowc(['runs']).stdout, /Crashy\/\S+\s+interrupted/);

  writeFileSync(marks, '');
  const res = box.flowc(['resume', runId], { env });
  assert.is(res.code, 0, res.stderr);
  assert.equal(readFileSync(marks, 'utf8').trim().split('\n'), ['slow'], 'start was reused, slow ran again');
  assert.is(box.flowc(['get', 'Crashy/latest/y']).stdout, '21\n');
});

test('the object store holds no partial files after a crash', () => {
  const walk = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [e.name]));
  const names = walk(join(box.dir, '.flowc'));
  assert.ok(names.length > 0);
  assert.not.ok(names.some((n) => n.includes('.tmp-')));
});

/** A process that exists and is not a zombie (a killed orphan waits for init to reap it). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

test('after kill -9 of flowc run, its tasks and their children die and finish nothing (issue 14)', async () => {
  const dir = join(box.dir, 'orphans');
  mkdirSync(dir);
  const files = { TASKPID: join(dir, 'task.pid'), SLEEPPID: join(dir, 'sleep.pid'), DONE: join(dir, 'done') };
  box.write(
    'orphans.flow',
    `flow Orphans {
  step start {
    sh """
      sleep 60 &
      echo $! > "$SLEEPPID"
      echo $$ > "$TASKPID"
      wait
      echo finished > "$DONE"
    """
    next end
  }
  step end {}
}
`,
  );
  const child = box.spawnFlowc(['run', 'orphans.flow', '--datastore', join(dir, 'store')], { env: files });
  await waitFor(() => existsSync(files.TASKPID) && readFileSync(files.TASKPID, 'utf8').trim() !== '' && existsSync(files.SLEEPPID) && readFileSync(files.SLEEPPID, 'utf8').trim() !== '');
  const pids = [files.TASKPID, files.SLEEPPID].map((f) => Number(readFileSync(f, 'utf8').trim()));
  assert.ok(pids.every(alive));
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  try {
    await waitFor(() => !pids.some(alive));
  } finally {
    for (const pid of pids) if (alive(pid)) process.kill(pid, 'SIGKILL');
  }
  assert.not.ok(existsSync(files.DONE), 'the task did not go on to finish');
});

test('opening a datastore removes temporary objects that a dead writer left, never a fresh one', async () => {
  const root = join(box.dir, 'sweep');
  mkdirSync(join(root, 'objects', 'ab'), { recursive: true });
  const stale = join(root, 'objects', 'ab', 'abcd.tmp-4242-0001');
  const fresh = join(root, 'objects', 'ab', 'abce.tmp-4243-0002');
  const object = join(root, 'objects', 'ab', 'abcf');
  for (const f of [stale, fresh, object]) writeFileSync(f, 'partial');
  const old = (Date.now() - STALE_TMP_MS - 60_000) / 1000;
  utimesSync(stale, old, old);
  utimesSync(object, old, old);
  await openDatastore(root);
  assert.equal(readdirSync(join(root, 'objects', 'ab')).sort(), ['abce.tmp-4243-0002', 'abcf']);
});

test.run();
