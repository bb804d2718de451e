/**
 * Start-up: `flowc check` of a small flow (a fresh process, as a person or CI runs it) against bare `node -e 0`,
 * the floor any Node program pays. Runs alternate (so load on the machine hits both alike); medians of BENCH_STARTUP
 * runs (default 15), of wall time and of CPU time (steadier while other work runs). Issue 14's goal: check within
 * 1.6x of node. The editor's figure, the time from opening a flow in VS Code to its first diagnostic, is printed by
 * `npm run test:vscode` (it needs code-server and Chromium); `bench/lsp.ts` gives the server's part of it (spawn →
 * first diagnostics). Nothing asserts on these numbers.
 *
 * Run: `node --import tsx bench/startup.ts` (or through `npm run bench`).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const runs = Number(process.env.BENCH_STARTUP ?? 15);
const dir = mkdtempSync(join(tmpdir(), 'flowc-startup-'));
mkdirSync(join(dir, '.git'));
writeFileSync(join(dir, 'small.flow'), 'flow Small {\n  image "python:3.12-slim"\n  step start {\n    out x: int\n    python "x = 1"\n    next end\n  }\n  step end {\n    in x: int\n  }\n}\n');

// flowc's code cache (cli/code-cache.ts) goes to this run's FLOWC_HOME: the first `flowc check` below writes it, the
// runs measured read it; the last row is a check with the cache off, what the very first run costs.
const flowcHome = join(dir, 'flowc-home');
const commands: [string, string[], Record<string, string>?][] = [
  ['node -e 0', ['-e', '0']],
  ['flowc --version', [join(root, 'bin', 'flowc.js'), '--version']],
  ['flowc check small.flow', [join(root, 'bin', 'flowc.js'), 'check', 'small.flow']],
  ['  without the code cache', [join(root, 'bin', 'flowc.js'), 'check', 'small.flow'], { FLOWC_CODE_CACHE: '0' }],
];
const envOf = (k: number) => ({ ...process.env, NO_COLOR: '1', FLOWC_HOME: flowcHome, ...commands[k][2] });
spawnSync(process.execPath, commands[2][1], { cwd: dir, stdio: 'ignore', env: envOf(2) });
const times: number[][] = commands.map(() => []);
for (let i = 0; i < runs; i++) {
  commands.forEach(([, args], k) => {
    const t = performance.now();
    const res = spawnSync(process.execPath, args, { cwd: dir, stdio: 'ignore', env: envOf(k) });
    if (res.status !== 0) throw new Error(`${commands[k][0]} exited ${res.status}`);
    times[k].push(performance.now() - t);
  });
}
// CPU time (user + system, every thread of the process), written by each process as it exits: on a machine busy
// with other work, wall time swings with the load while CPU time barely does. The probe costs every command alike.
// CommonJS, preloaded with --require: an --import would start Node's ES module loader in every process.
const probe = join(dir, 'cpu-probe.cjs');
const cpuFile = join(dir, 'cpu.txt');
writeFileSync(probe, "const { writeFileSync } = require('node:fs');\nprocess.on('exit', () => { const u = process.cpuUsage(); writeFileSync(process.env.FLOWC_BENCH_CPU, String((u.user + u.system) / 1000)); });\n");
const cpu: number[][] = commands.map(() => []);
for (let i = 0; i < runs; i++) {
  commands.forEach(([, args], k) => {
    const res = spawnSync(process.execPath, ['--require', probe, ...args], { cwd: dir, stdio: 'ignore', env: { ...envOf(k), FLOWC_BENCH_CPU: cpuFile } });
    if (res.status !== 0) throw new Error(`${commands[k][0]} exited ${res.status}`);
    cpu[k].push(Number(readFileSync(cpuFile, 'utf8')));
  });
}
rmSync(dir, { recursive: true, force: true });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`Start-up, median of ${runs} alternating runs: wall time, and CPU time (user + system, all threads)`);
for (const [k, [name]] of commands.entries()) {
  const m = median(times[k]);
  const c = median(cpu[k]);
  console.log(`  ${name.padEnd(24)} ${m.toFixed(0).padStart(5)} ms  ${(m / median(times[0])).toFixed(2)}x node   CPU ${c.toFixed(0).padStart(5)} ms  ${(c / median(cpu[0])).toFixed(2)}x node`);
}
