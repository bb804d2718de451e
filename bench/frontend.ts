/**
 * The front end's speed: parse, check (analyze) and lower, in-process, for the generated flows of bench/gen.ts
 * (linear chain, wide split, chain of foreach fan-outs) at 100, 1,000 and 10,000 steps.
 *
 * Each phase is timed on its own after warm-up, best of a few runs (the minimum is the least disturbed by other
 * work on the machine), both as wall time and as this process's CPU time (steadier on a loaded machine; it includes
 * the garbage collector's helper threads). "growth" is the wall time of parse + check divided by the same at a
 * tenth of the size: about 10 is linear. "heap MiB" is the JS heap one parse + check + lower adds, the largest of
 * samples taken after each phase, from a collected heap.
 *
 * Run: `node --import tsx bench/frontend.ts` (or through `npm run bench`, which calls it). Options (environment):
 * BENCH_SIZES=100,1000 and BENCH_KINDS=linear. Nothing asserts on these numbers.
 */
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { analyzeAst } from '../compiler/analyze.ts';
import { lower } from '../compiler/lower.ts';
import { parse } from '../grammar/parse.ts';
import { generateFlow, type FlowKind } from './gen.ts';

const sizes = (process.env.BENCH_SIZES ?? '100,1000,10000').split(',').map(Number);
const kinds = (process.env.BENCH_KINDS ?? 'linear,wide,foreach').split(',') as FlowKind[];
/** The garbage collector, exposed at run time when node was started without `--expose-gc`. */
const gc: () => void =
  (globalThis as { gc?: () => void }).gc ??
  (() => {
    setFlagsFromString('--expose-gc');
    return runInNewContext('gc') as () => void;
  })();

interface Timing {
  wall: number;
  cpu: number;
}

/** Best wall and best CPU time of `reps` runs of `fn`, in ms. */
function best(reps: number, fn: () => void): Timing {
  const res = { wall: Infinity, cpu: Infinity };
  for (let i = 0; i < reps; i++) {
    const cpu = process.cpuUsage();
    const wall = performance.now();
    fn();
    res.wall = Math.min(res.wall, performance.now() - wall);
    const used = process.cpuUsage(cpu);
    res.cpu = Math.min(res.cpu, (used.user + used.system) / 1000);
  }
  return res;
}

/** The heap (MiB) one parse + check + lower adds: the largest sample, taken after each phase. */
function peakHeap(text: string): number {
  gc();
  const before = process.memoryUsage().heapUsed;
  let peak = before;
  const sample = () => (peak = Math.max(peak, getHeapStatistics().used_heap_size));
  const parsed = parse(text);
  sample();
  const analysis = analyzeAst(parsed.file, text, parsed.diagnostics, { file: 'bench.flow' });
  sample();
  lower(analysis);
  sample();
  return (peak - before) / 1024 / 1024;
}

interface Row {
  kind: FlowKind;
  n: number;
  kib: number;
  parse: Timing;
  check: Timing;
  lower: Timing;
  heap: number;
}

function measure(kind: FlowKind, n: number): Row {
  const text = generateFlow(kind, n);
  const reps = n <= 100 ? 20 : n <= 1000 ? 10 : 3;
  // Warm-up: the parser's grammar analysis, and the JIT on this shape.
  for (let i = 0; i < (n <= 1000 ? 3 : 1); i++) lower(analyzeAst(parse(text).file, text, [], { file: 'bench.flow' }));
  const parsed = parse(text);
  const analysis = analyzeAst(parsed.file, text, parsed.diagnostics, { file: 'bench.flow' });
  if (analysis.hasErrors) throw new Error(`The generated ${kind} flow has errors: ${analysis.diagnostics[0].message}`);
  return {
    kind,
    n,
    kib: text.length / 1024,
    parse: best(reps, () => void parse(text)),
    check: best(reps, () => void analyzeAst(parsed.file, text, parsed.diagnostics, { file: 'bench.flow' })),
    lower: best(reps, () => void lower(analysis)),
    heap: peakHeap(text),
  };
}

const fmt = (ms: number) => (ms < 10 ? ms.toFixed(2) : ms < 100 ? ms.toFixed(1) : Math.round(ms).toString());
const header = ['shape', 'steps', 'KiB', 'parse ms', 'check ms', 'lower ms', 'parse+check', 'growth', 'cpu parse', 'cpu check', 'cpu lower', 'heap MiB'];
const rows: string[][] = [];
const started = performance.now();
for (const kind of kinds) {
  let previous: Row | undefined;
  for (const n of sizes) {
    process.stderr.write(`bench/frontend: ${kind} ${n} steps...\n`);
    const r = measure(kind, n);
    const total = r.parse.wall + r.check.wall;
    const growth = previous && n === previous.n * 10 ? `×${(total / (previous.parse.wall + previous.check.wall)).toFixed(1)}` : '';
    rows.push([kind, String(n), String(Math.round(r.kib)), fmt(r.parse.wall), fmt(r.check.wall), fmt(r.lower.wall), fmt(total), growth, fmt(r.parse.cpu), fmt(r.check.cpu), fmt(r.lower.cpu), r.heap.toFixed(1)]);
    previous = r;
  }
}

const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells: string[]) => `| ${cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
console.log(`flowc front end: node ${process.version}, ${Math.round((performance.now() - started) / 1000)} s`);
console.log('in-process, after warm-up, best of a few runs; growth = parse+check wall time / the same at a tenth of the size (10 is linear).');
console.log('');
console.log(line(header));
console.log(`|${widths.map((w, i) => (i < 2 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`);
for (const r of rows) console.log(line(r));
