/**
 * The corpus of Metaflow's own test graphs (test/core/graphs/*.json in Netflix/metaflow, the recursive ones
 * included), ported under test/cases/metaflow/, with the tasks Metaflow would run: every engine test runs each
 * graph once and compares the task records per step with these counts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { testRoot } from './golden.ts';

/** Per graph: the number of tasks each step runs (steps not listed run none). */
export const expectedTasks: Record<string, Record<string, number>> = {
  branch: { start: 1, a: 1, b: 1, join: 1, end: 1 },
  foreach: { start: 1, foreach_split: 1, foreach_inner_first: 3, foreach_inner_second: 3, foreach_join: 1, end: 1 },
  'small-foreach': { start: 1, foreach_split: 1, foreach_inner: 3, foreach_join: 1, end: 1 },
  'nested-foreach': { start: 1, foreach_split_x: 1, foreach_split_y: 3, foreach_split_z: 6, foreach_inner: 36, foreach_join_z: 6, foreach_join_y: 3, foreach_join_x: 1, end: 1 },
  parallel: { start: 1, parallel_split: 1, parallel_inner: 4, parallel_join: 1, end: 1 },
  switch: { start: 1, switch_step: 1, high_branch: 1, end: 1 },
  'switch-basic': { start: 1, switch_step: 1, b: 1, end: 1 },
  'switch-nested': { start: 1, switch2: 1, d: 1, end: 1 },
  'switch-fanout': { start: 1, switch_step: 1, miss: 1, clip: 1, face: 1, join_miss: 1, end: 1 },
  'switch-in-branch': { start: 1, a: 1, b: 1, c: 1, join: 1, end: 1 },
  'switch-in-foreach': { start: 1, process_item: 3, handle_a: 2, handle_b: 1, join: 1, end: 1 },
  'branch-in-switch': { start: 1, process_branch: 1, p1: 1, p2: 1, process_join: 1, end: 1 },
  'foreach-in-switch': { start: 1, process_items: 1, do_work: 2, join_work: 1, end: 1 },
  'recursive-switch': { start: 1, loop_step: 3, exit_loop: 1, end: 1 },
  'recursive-switch-inside-foreach': { start: 1, start_loop_for_item: 3, loop_body: 6, exit_item_loop: 3, join: 1, end: 1 },
};

export const corpusDir = join(testRoot, 'cases', 'metaflow');

/** Every ported graph: its name (the file without `.flow`), the file as the CLI names it, and its text. */
export function metaflowGraphs(): { name: string; file: string; text: string }[] {
  return readdirSync(corpusDir)
    .filter((f) => f.endsWith('.flow'))
    .sort()
    .map((f) => ({ name: f.slice(0, -5), file: `test/cases/metaflow/${f}`, text: readFileSync(join(corpusDir, f), 'utf8') }));
}

/** Task counts per step from the keys of a run's task records (`.../tasks/<step>/<task>.json`). */
export function countTasks(keys: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const key of keys) {
    const m = /\/tasks\/([^/]+)\/[^/]+\.json$/.exec(key);
    if (m) counts[m[1]] = (counts[m[1]] ?? 0) + 1;
  }
  return counts;
}
