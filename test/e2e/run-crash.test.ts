/**
 * Crash safety: a run killed in the middle of a task leaves no record of that task, and `flowc resume` runs it
 * again while reusing what finished before.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
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

test.run();
