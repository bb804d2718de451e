/**
 * `flowc show FLOW/RUN[/STEP[/TASK]]`: a run's status, parameters, steps in DAG order with their successors,
 * tasks with timings and artifacts; with a TASK, that task's artifacts and its logs. `--json` prints the data.
 */
import { stringifyJson } from '../targets/protocol/json64.ts';
import { hostname } from 'node:os';
import { searchLocations, splitRunPath } from './local-support.ts';
import { locateRun, noRunMessage } from '../targets/local/locate.ts';
import { runSummary } from '../targets/local/query.ts';
import { defaultNamespace, displayStatus, pidAlive, readTask } from '../targets/local/records.ts';
import { parseArgs } from './args.ts';
import { optionsOf } from './commands.ts';
import { UsageError, type CliIO } from './io.ts';

const short = (v: unknown): string => {
  const t = stringifyJson(v);
  return t.length > 60 ? `${t.slice(0, 60)}...` : t;
};

export default async function show(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, optionsOf('show'));
  if (args.positionals.length !== 1) throw new UsageError('Give one FLOW/RUN[/STEP[/TASK]].');
  const [flow, runId, step, task] = splitRunPath(args.positionals[0], 2, 4, 'FLOW/RUN[/STEP[/TASK]]');
  const namespace = args.flags['all-namespaces'] ? null : (args.values.namespace ?? defaultNamespace(io.env));
  const locations = await searchLocations(io, args.values.datastore);
  const found = await locateRun(locations, flow, runId, namespace);
  if (!found) {
    io.stderr(`flowc show: ${await noRunMessage(locations, flow, runId, namespace)}\n`);
    return 1;
  }
  const { ds, run } = found;
  const summary = await runSummary(ds, run, displayStatus(run, hostname(), pidAlive), step);
  if (step && summary.steps.length === 0) {
    io.stderr(`flowc show: run ${run.flow}/${run.id} has no step '${step}'.\n`);
    return 1;
  }
  if (task) {
    const rec = await readTask(ds, run.flow, run.id, step, task);
    if (!rec) {
      io.stderr(`flowc show: run ${run.flow}/${run.id} has no task ${step}/${task}.\n`);
      return 1;
    }
    const logs = { stdout: rec.logs.stdout ? (await ds.getBytes(rec.logs.stdout)).toString('utf8') : '', stderr: rec.logs.stderr ? (await ds.getBytes(rec.logs.stderr)).toString('utf8') : '' };
    if (args.flags.json) {
      io.stdout(`${JSON.stringify({ ...rec, logs }, null, 2)}\n`);
      return 0;
    }
    const t = summary.steps[0].tasks.find((x) => x.id === task)!;
    const lines = [`Task ${run.flow}/${run.id}/${step}/${task}: ${t.status} in ${t.seconds.toFixed(2)}s, ${rec.attempts} attempt(s)${rec.reusedFrom ? `, reused from ${rec.reusedFrom}` : ''}`];
    if (rec.error) lines.push(`  error: ${rec.error}`);
    lines.push(`  parents: ${rec.parents.join(', ') || '-'}`);
    for (const [k, m] of Object.entries(rec.inputs)) lines.push(`  in  ${k}${m.value !== undefined ? ` = ${short(m.value)}` : ''}`);
    for (const [k, a] of Object.entries(t.artifacts)) lines.push(`  out ${k}: ${a.type}${a.value !== undefined ? ` = ${short(a.value)}` : ''}`);
    for (const s of ['stdout', 'stderr'] as const) if (logs[s]) lines.push(`--- ${s} ---`, logs[s].replace(/\n$/, ''));
    io.stdout(`${lines.join('\n')}\n`);
    return 0;
  }
  if (args.flags.json) {
    io.stdout(`${JSON.stringify(summary, null, 2)}\n`);
    return 0;
  }
  const lines = [
    `Run ${summary.flow}/${summary.id}: ${summary.status}${summary.seconds !== null ? ` in ${summary.seconds.toFixed(1)}s` : ''}`,
    `  namespace ${summary.namespace}${summary.tags.length ? `, tags ${summary.tags.join(', ')}` : ''}, started ${summary.startedAt}`,
  ];
  if (summary.resumedFrom) lines.push(`  resumed from ${summary.resumedFrom.run} at step '${summary.resumedFrom.step}'`);
  if (summary.failed) lines.push(`  failed: ${summary.failed.step ? `${summary.failed.step}/${summary.failed.task}: ` : ''}${summary.failed.message}`);
  const params = Object.entries(summary.params);
  if (params.length) lines.push(`  params: ${params.map(([k, v]) => `${k}=${short(v)}`).join(', ')}`);
  for (const s of summary.steps) {
    const states = s.tasks.reduce<Record<string, number>>((acc, t) => ((acc[t.reusedFrom ? 'reused' : t.status] = (acc[t.reusedFrom ? 'reused' : t.status] ?? 0) + 1), acc), {});
    const total = s.tasks.reduce((a, t) => a + t.seconds, 0);
    const what = s.tasks.length ? Object.entries(states).map(([k, n]) => `${n} ${k}`).join(', ') : 'not run';
    lines.push(`  ${s.name}${s.next ? ` -> ${s.next}` : ''}: ${what}${s.tasks.length ? `, ${total.toFixed(2)}s` : ''}`);
    const shown = s.tasks.length <= 5 ? s.tasks : [...s.tasks.slice(0, 3), ...s.tasks.slice(-1)];
    for (const t of shown) {
      if (shown !== s.tasks && t === s.tasks[s.tasks.length - 1]) lines.push(`      ... ${s.tasks.length - 4} more`);
      const arts = Object.entries(t.artifacts).map(([k, a]) => `${k}: ${a.type}${a.value !== undefined ? ` = ${short(a.value)}` : ''}`);
      lines.push(`    ${s.name}/${t.id} ${t.reusedFrom ? 'reused' : t.status} ${t.seconds.toFixed(2)}s${arts.length ? `  ${arts.join('; ')}` : ''}${t.error ? `  (${t.error})` : ''}`);
    }
  }
  io.stdout(`${lines.join('\n')}\n`);
  return 0;
}
