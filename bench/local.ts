/**
 * Overhead per task of the local runner (`flowc run`): a flow of 200 no-op steps, and a foreach of 1,000 no-op
 * tasks, against a plain shell loop starting the same processes (`/bin/sh -c true`).
 * Run with `node --import tsx bench/local.ts` after `node scripts/build.mjs`. Works in a temp dir.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'flowc-bench-'));
const env = { ...process.env, HOME: dir, FLOWC_HOME: join(dir, 'state'), USER: 'bench', NO_COLOR: '1' };

function linearFlow(n: number): string {
  const steps = ['step start {\n    run "true"\n    next s1\n  }'];
  for (let i = 1; i < n - 1; i++) steps.push(`step s${i} {\n    run "true"\n    next ${i === n - 2 ? 'end' : `s${i + 1}`}\n  }`);
  steps.push('step end {\n    run "true"\n  }');
  return `flow Linear {\n  image "alpine"\n  ${steps.join('\n  ')}\n}\n`;
}

function foreachFlow(n: number): string {
  return `flow Fan {
  image "alpine"
  step start {
    out items: [int]
    sh """
      items="[$(seq -s, 0 ${n - 1})]"
    """
    next work foreach i in items
  }
  step work {
    in i: int
    out o: int
    run "echo {{in.i}} > {{out.o}}"
    next done
  }
  step done {
    in o: [int]
    next end
  }
  step end {}
}
`;
}

function time(fn: () => void): number {
  const t = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

function flowcRun(file: string, workers: number): number {
  return time(() => {
    const res = spawnSync(process.execPath, [join(root, 'bin', 'flowc.js'), 'run', file, '--max-workers', String(workers)], { cwd: dir, env, encoding: 'utf8' });
    if (res.status !== 0) throw new Error(`flowc run failed: ${res.stderr}`);
  });
}

const shellLoop = (n: number): number => time(() => execFileSync('/bin/sh', ['-c', `i=0; while [ $i -lt ${n} ]; do /bin/sh -c "echo $i > /dev/null"; i=$((i+1)); done`]));
const startup = (): number => time(() => spawnSync(process.execPath, [join(root, 'bin', 'flowc.js'), '--version'], { env }));

writeFileSync(join(dir, 'linear.flow'), linearFlow(200));
writeFileSync(join(dir, 'fan.flow'), foreachFlow(1000));
const base = startup();
const rows: [string, number, number, number][] = [];
const linear = flowcRun('linear.flow', 1);
const linearShell = shellLoop(200);
rows.push(['200 no-op steps (sequential)', 200, linear, linearShell]);
const fan1 = flowcRun('fan.flow', 1);
const fanShell = shellLoop(1003);
rows.push(['foreach of 1,000 no-op tasks, --max-workers 1', 1003, fan1, fanShell]);
const fanN = flowcRun('fan.flow', 4);
rows.push(['foreach of 1,000 no-op tasks, --max-workers 4', 1003, fanN, fanShell]);
console.log(`flowc start-up (--version): ${base.toFixed(0)} ms`);
for (const [name, n, flowc, shell] of rows) {
  console.log(`${name}: flowc ${flowc.toFixed(0)} ms, shell loop ${shell.toFixed(0)} ms, overhead ${((flowc - base - shell) / n).toFixed(2)} ms/task`);
}
rmSync(dir, { recursive: true, force: true });
