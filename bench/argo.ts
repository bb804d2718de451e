/**
 * The Argo target alone: from a flow's IR to the output text (`buildArgo`), for generated flows of 100 / 1,000 /
 * 10,000 steps of each shape of bench/gen.ts. The front end (analyze, lower) runs once per flow, outside the timings.
 * Prints, per flow: the time to build the manifest objects (`buildArgoManifests`), the whole build to YAML and to
 * JSON (best of a few runs after a warm-up), the size of the YAML, and the growth of the YAML time against the
 * size ten times smaller (about 10 is linear).
 *
 * A full garbage collection runs before each timed run. Run with `node --import tsx bench/argo.ts`. Options (environment): BENCH_SIZES=100,1000 and BENCH_KINDS=linear.
 * Nothing asserts on these numbers.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { analyze } from '../compiler/analyze.ts';
import type { FlowIR } from '../compiler/ir.ts';
import { lower } from '../compiler/lower.ts';
import { buildArgo, buildArgoManifests } from '../targets/argo/index.ts';
import { generateFlow, type FlowKind } from './gen.ts';

const sizes = (process.env.BENCH_SIZES ?? '100,1000,10000').split(',').map(Number);
const kinds = (process.env.BENCH_KINDS ?? 'linear,wide,foreach').split(',') as FlowKind[];

function compile(kind: FlowKind, n: number): FlowIR {
  const file = 'bench.flow';
  const analysis = analyze(generateFlow(kind, n), { file, config: {} });
  const error = analysis.diagnostics.find((d) => d.severity === 'error');
  if (error) throw new Error(`The generated ${kind} flow of ${n} steps has errors: ${error.message}`);
  return lower(analysis)[0];
}

// A full garbage collection before each timed run (not timed), so one run does not pay for the garbage of the
// previous ones; this is how the CLI runs a build, in a fresh process.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/** Best of `reps` runs of `fn` after one warm-up run, in ms. */
function best(reps: number, fn: () => void): number {
  fn();
  let min = Infinity;
  for (let i = 0; i < reps; i++) {
    collectGarbage();
    const t = performance.now();
    fn();
    min = Math.min(min, performance.now() - t);
  }
  return min;
}

const fmtMs = (ms: number) => (ms < 10 ? ms.toFixed(2) : ms < 100 ? ms.toFixed(1) : Math.round(ms).toString());
const header = ['shape', 'steps', 'objects ms', 'yaml ms', 'growth', 'json ms', 'yaml KiB', 'KiB/step'];
const rows: string[][] = [];

for (const kind of kinds) {
  let previous: { n: number; ms: number } | undefined;
  for (const n of sizes) {
    process.stderr.write(`bench/argo: ${kind} ${n} steps...\n`);
    const ir = compile(kind, n);
    const options = { config: {}, sourceFile: 'bench.flow' };
    const reps = n <= 1000 ? 7 : 3;
    let yaml = '';
    const objects = best(reps, () => void buildArgoManifests(ir, options));
    const yamlMs = best(reps, () => void (yaml = buildArgo(ir, options).stdout));
    const jsonMs = best(reps, () => void buildArgo(ir, { ...options, format: 'json' }));
    const kib = Buffer.byteLength(yaml) / 1024;
    const growth = previous && n === previous.n * 10 ? `×${(yamlMs / previous.ms).toFixed(1)}` : '';
    rows.push([kind, String(n), fmtMs(objects), fmtMs(yamlMs), growth, fmtMs(jsonMs), kib.toFixed(0), (kib / ir.steps.length).toFixed(2)]);
    previous = { n, ms: yamlMs };
  }
}

const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells: string[]) => `| ${cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
console.log(`flowc bench/argo: node ${process.version}; IR → text, best of a few runs after a warm-up.`);
console.log('objects = buildArgoManifests; yaml / json = buildArgo (objects and text); growth = yaml time / the time at a tenth of the size.');
console.log('');
console.log(line(header));
console.log(`|${widths.map((w, i) => (i < 2 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`);
for (const r of rows) console.log(line(r));
