/**
 * Inputs that once took seconds or gigabytes (issue 14): "did you mean" over very long names, and fuzzed files of a
 * few KB (mutated samples and generated flows, random text). Prints the in-process check time of each long-name
 * case, then the distribution over the fuzz inputs and the slowest few; the goal is no file of a few KB over 1 s.
 *
 * Run: `node --import tsx bench/pathological.ts` (or through `npm run bench`). Options (environment): BENCH_FUZZ=N
 * inputs (default 400), FUZZ_SEED (default 20261126). Nothing asserts on these numbers.
 */
import fc from 'fast-check';
import { analyze } from '../compiler/analyze.ts';
import { flowShapeArb, mutate, mutationsArb, renderShape, samples } from '../test/fuzz/arbitraries.ts';

function time(fn: () => void): number {
  const t = performance.now();
  fn();
  return performance.now() - t;
}

console.log('Long names (a step `next`s a name one edit away from a declared one):');
console.log('| name chars | check ms | heap MiB |');
console.log('|-----------:|---------:|---------:|');
for (const n of [1_000, 10_000, 20_000, 40_000, 100_000]) {
  const a = 'a'.repeat(n);
  const b = `${'a'.repeat(n - 1)}b`;
  const text = `flow F {\n  step start { next ${a} }\n  step ${b} { next end }\n  step end {}\n}\n`;
  const before = process.memoryUsage().heapUsed;
  const ms = time(() => void analyze(text, { file: 'long.flow' }));
  const mib = Math.max(0, process.memoryUsage().heapUsed - before) / 1024 / 1024;
  console.log(`| ${String(n).padStart(10)} | ${ms.toFixed(1).padStart(8)} | ${mib.toFixed(0).padStart(8)} |`);
}

const count = Number(process.env.BENCH_FUZZ ?? 400);
const seed = Number(process.env.FUZZ_SEED ?? 20261126);
const inputs: string[] = [
  ...fc.sample(fc.tuple(fc.constantFrom(...samples), mutationsArb).map(([t, m]) => mutate(t, m)), { numRuns: Math.ceil(count / 2), seed }),
  ...fc.sample(fc.tuple(flowShapeArb, mutationsArb).map(([s, m]) => mutate(renderShape(s), m)), { numRuns: Math.floor(count / 4), seed: seed + 1 }),
  ...fc.sample(fc.string({ unit: 'binary', minLength: 1000, maxLength: 4000 }), { numRuns: Math.floor(count / 4), seed: seed + 2 }),
];
const times = inputs.map((text) => ({ text, ms: time(() => void analyze(text, { file: 'fuzz.flow' })) })).sort((x, y) => y.ms - x.ms);
const pct = (p: number) => times[Math.min(times.length - 1, Math.floor((1 - p) * times.length))].ms;
const kib = (t: string) => (t.length / 1024).toFixed(1);
console.log(`\nFuzz inputs: ${times.length} files of ${kib(inputs.reduce((m, t) => (t.length < m.length ? t : m)))}-${kib(inputs.reduce((m, t) => (t.length > m.length ? t : m)))} KiB`);
console.log(`check ms: median ${pct(0.5).toFixed(1)}, p99 ${pct(0.99).toFixed(1)}, max ${times[0].ms.toFixed(1)}; over 1 s: ${times.filter((t) => t.ms > 1000).length}`);
console.log('slowest:');
for (const t of times.slice(0, 3)) console.log(`  ${t.ms.toFixed(1)} ms, ${kib(t.text)} KiB`);
