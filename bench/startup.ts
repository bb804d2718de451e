/**
 * Start-up: `flowc check` of a small flow (a fresh process, as a person or CI runs it) against bare `node -e 0`,
 * the floor any Node program pays. Runs alternate (so load on the machine hits both alike); medians of BENCH_STARTUP
 * runs (default 15). Issue 14's goal: check within 1.6x of node. Nothing asserts on these numbers.
 *
 * Run: `node --import tsx bench/startup.ts` (or through `npm run bench`).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const runs = Number(process.env.BENCH_STARTUP ?? 15);
const dir = mkdtempSync(join(tmpdir(), 'flowc-startup-'));
mkdirSync(join(dir, '.git'));
writeFileSync(join(dir, 'small.flow'), 'flow Small {\n  image "python:3.12-slim"\n  step start {\n    out x: int\n    python "x = 1"\n    next end\n  }\n  step end {\n    in x: int\n  }\n}\n');

const commands: [string, string[]][] = [
  ['node -e 0', ['-e', '0']],
  ['flowc --version', [join(root, 'bin', 'flowc.js'), '--version']],
  ['flowc check small.flow', [join(root, 'bin', 'flowc.js'), 'check', 'small.flow']],
];
const times: number[][] = commands.map(() => []);
for (let i = 0; i < runs; i++) {
  commands.forEach(([, args], k) => {
    const t = performance.now();
    const res = spawnSync(process.execPath, args, { cwd: dir, stdio: 'ignore', env: { ...process.env, NO_COLOR: '1' } });
    if (res.status !== 0) throw new Error(`${commands[k][0]} exited ${res.status}`);
    times[k].push(performance.now() - t);
  });
}
rmSync(dir, { recursive: true, force: true });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const base = median(times[0]);
console.log(`Start-up, median of ${runs} alternating runs:`);
for (const [k, [name]] of commands.entries()) {
  const m = median(times[k]);
  console.log(`  ${name.padEnd(24)} ${m.toFixed(0).padStart(5)} ms  ${(m / base).toFixed(2)}x node`);
}
