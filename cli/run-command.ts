/**
 * What `flowc run` and `flowc resume` share around the scheduler: progress output, stopping on Ctrl-C, and the
 * closing report (the flow's results on success; the failed task, its last log lines and the resume command on
 * failure). Returns the exit code: 0 done, 1 failed.
 */
import { stringifyJson } from '../targets/protocol/json64.ts';
import type { CliIO } from './io.ts';
import { loadValue } from '../targets/local/artifacts.ts';
import { progressReporter } from '../targets/local/progress.ts';
import { readTask } from '../targets/local/records.ts';
import { runFlow, type RunOptions } from '../targets/local/run.ts';

export interface RunCommandOptions extends Omit<RunOptions, 'reporter' | 'signal'> {
  /** Extra arguments for the printed `flowc resume` command (e.g. `--datastore s3://...`). */
  resumeArgs: string[];
}

const shellWord = (w: string): string => (/^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`);

export async function runCommand(io: CliIO, opts: RunCommandOptions): Promise<number> {
  const reporter = progressReporter({ write: io.stdout, tty: io.isTTY });
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  let outcome;
  try {
    outcome = await runFlow({ ...opts, reporter, signal: controller.signal });
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
  const { run } = outcome;
  if (run.status === 'done') {
    // Only what was listed is offered: values printed, file and directory results named; none, then `show`.
    const listed: string[] = [];
    for (const r of opts.ir.results) {
      const rec = await readTask(opts.ds, run.flow, run.id, r.step, '0');
      const meta = rec?.outputs[r.name];
      if (!meta) continue;
      listed.push(r.name);
      if (meta.storage !== 'value' && meta.storage !== 'json') {
        io.stdout(`  ${r.name}: a ${meta.storage === 'dir' ? 'directory' : 'file'} (write it out with flowc get --out PATH)\n`);
        continue;
      }
      const text = stringifyJson(await loadValue(opts.ds, meta));
      io.stdout(`  ${r.name} = ${text.length > 200 ? `${text.slice(0, 200)}...` : text}\n`);
    }
    if (listed.length === 0) io.stdout(`The flow declares no results. Its steps and artifacts: flowc show ${run.flow}/${run.id}\n`);
    else io.stdout(`Read ${listed.length === 1 ? 'it' : 'them'} with: flowc get ${run.flow}/${run.id}/${listed.length === 1 ? listed[0] : 'NAME'}\n`);
    return 0;
  }
  const lines: string[] = [];
  if (outcome.failed) {
    const rec = outcome.failed.record;
    lines.push(`flowc run: task ${rec.step}/${rec.id} failed${rec.attempts > 1 ? ` after ${rec.attempts} attempts` : ''}: ${rec.error}`);
    if (outcome.failed.tail.length) {
      lines.push(`Last lines of its log:`);
      for (const l of outcome.failed.tail) lines.push(`  | ${l}`);
    }
  } else lines.push(`flowc run: ${run.failed?.message ?? 'the run failed.'}`);
  lines.push(`To continue: flowc resume ${[run.id, ...opts.resumeArgs].map(shellWord).join(' ')}`);
  io.stderr(`${lines.join('\n')}\n`);
  return 1;
}
