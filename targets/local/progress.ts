/**
 * Progress of a run for people: on a terminal one status line redrawn in place (tasks done, running, failed,
 * foreach counts), with retries and failures printed above it; otherwise one plain line per finished task.
 */
import type { FlowIR } from '../../compiler/ir.ts';
import type { RunRecord, TaskRecord } from './records.ts';
import type { RunReporter } from './run.ts';

export interface ProgressOptions {
  write: (text: string) => void;
  tty: boolean;
  /** Milliseconds between redraws on a terminal. */
  intervalMs?: number;
  now?: () => number;
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)}s`;

function taskDuration(rec: TaskRecord): number {
  return Date.parse(rec.finishedAt) - Date.parse(rec.startedAt);
}

export function progressReporter(opts: ProgressOptions): RunReporter {
  const now = opts.now ?? Date.now;
  let started = now();
  let label = '';
  let done = 0;
  let failed = 0;
  let reused = 0;
  const running = new Set<string>();
  const stepDone = new Map<string, number>();
  const fanout = new Map<string, number>();
  let foreachTargets = new Map<string, string>();
  let timer: NodeJS.Timeout | undefined;
  let lineShown = false;

  const status = (): string => {
    const parts = [`${label}: ${done} done`];
    if (reused) parts.push(`${reused} reused`);
    parts.push(`${running.size} running`);
    if (failed) parts.push(`${failed} failed`);
    const counts = [...fanout].map(([step, total]) => `${step} ${stepDone.get(step) ?? 0}/${total}`);
    return `${parts.join(', ')}${counts.length ? ` [${counts.join(', ')}]` : ''}  ${seconds(now() - started)}`;
  };
  const clear = (): void => {
    if (lineShown) opts.write('\r\x1b[K');
    lineShown = false;
  };
  const draw = (): void => {
    if (!opts.tty) return;
    opts.write(`\r\x1b[K${status()}`);
    lineShown = true;
  };
  const say = (line: string): void => {
    clear();
    opts.write(`${line}\n`);
    draw();
  };

  return {
    runStarted(run: RunRecord, ir: FlowIR) {
      started = now();
      label = `${run.flow}/${run.id}`;
      foreachTargets = new Map(ir.steps.flatMap((s) => (s.next.kind === 'foreach' ? [[s.name, s.next.to] as [string, string]] : [])));
      say(`Running ${label}${run.resumedFrom ? ` (resuming ${run.resumedFrom.run} from step '${run.resumedFrom.step}')` : ''}`);
      if (opts.tty) {
        timer = setInterval(draw, opts.intervalMs ?? 100);
        timer.unref();
      }
    },
    taskStarted(step, task) {
      running.add(`${step}/${task}`);
    },
    taskRetry(step, task, attempt, error) {
      say(`  ${step}/${task}: attempt ${attempt} failed, retrying: ${error}`);
    },
    taskFinished(rec) {
      running.delete(`${rec.step}/${rec.id}`);
      stepDone.set(rec.step, (stepDone.get(rec.step) ?? 0) + 1);
      const to = foreachTargets.get(rec.step);
      if (to && rec.foreachCount !== undefined) fanout.set(to, (fanout.get(to) ?? 0) + rec.foreachCount);
      if (rec.reusedFrom) reused++;
      else if (rec.status === 'done' || rec.caught) done++;
      else failed++;
      if (rec.status === 'failed') say(`  ${rec.step}/${rec.id} failed${rec.caught ? ' (caught by @catch)' : ''}: ${rec.error}`);
      else if (!opts.tty) say(`  ${rec.step}/${rec.id} ${rec.reusedFrom ? `reused from ${rec.reusedFrom.split('/')[0]}` : `done in ${seconds(taskDuration(rec))}`}`);
    },
    runFinished(run) {
      clearInterval(timer);
      clear();
      const took = seconds(Date.parse(run.finishedAt ?? new Date().toISOString()) - Date.parse(run.startedAt));
      opts.write(`${run.status === 'done' ? 'Done' : 'Failed'}: ${label}, ${done} task${done === 1 ? '' : 's'} run${reused ? `, ${reused} reused` : ''}${failed ? `, ${failed} failed` : ''} in ${took}.\n`);
    },
  };
}
