/**
 * `flowc check PATH...`: every problem in every flow, then exit 0 (clean or warnings only), 1 (errors).
 * Many files are checked across cores (check-parallel.ts; `--jobs N`, 1 for one thread); `--stats` prints the
 * number of files, the total time and files per second to stderr.
 */
import { checkFilesInParallel, defaultJobs } from './check-parallel.ts';
import { parseArgs } from './args.ts';
import { optionsOf } from './commands.ts';
import { UsageError, type CliIO } from './io.ts';
import { expandPaths, loadFlow, type FileReport } from './load-flow.ts';
import { countBySeverity, useColor } from './report-text.ts';
import { reporters } from './reporters.ts';

export default async function check(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, optionsOf('check'));
  // performance.now() loads perf_hooks on first use: only for --stats (start-up).
  const started = args.flags.stats ? performance.now() : 0;
  if (args.positionals.length === 0) throw new UsageError('Give at least one .flow file or directory.');
  const format = args.values.format ?? 'text';
  const makeReporter = reporters[format];
  if (!makeReporter) throw new UsageError(`Unknown format '${format}'; expected one of ${Object.keys(reporters).join(', ')}.`);
  const maxWarnings = args.values['max-warnings'] === undefined ? Infinity : Number(args.values['max-warnings']);
  if (!Number.isInteger(maxWarnings) && maxWarnings !== Infinity) throw new UsageError('--max-warnings takes a whole number.');

  const jobsArg = args.values.jobs === undefined ? undefined : Number(args.values.jobs);
  if (jobsArg !== undefined && !(Number.isInteger(jobsArg) && jobsArg >= 1)) throw new UsageError('--jobs takes a whole number of at least 1.');

  const files = expandPaths(io, args.positionals);
  const jobs = Math.min(jobsArg ?? defaultJobs(files.length), Math.max(1, files.length));
  const perFile = jobs > 1 ? await checkFilesInParallel(io, files, args.values.config, jobs) : files.map((path) => loadFlow(io, path, args.values.config).reports);
  const reports: FileReport[] = [];
  const seen = new Set<string>();
  for (const fileReports of perFile) {
    for (const r of fileReports) {
      // A shared flowc.yaml is reported once, however many flows use it.
      if (seen.has(r.file)) continue;
      seen.add(r.file);
      reports.push(r);
    }
  }
  const reporter = await makeReporter();
  io.stdout(reporter(reports, { color: useColor(io.env, io.isTTY), nFiles: files.length }));
  const { errors, warnings } = countBySeverity(reports);
  if (args.flags.stats) {
    const seconds = (performance.now() - started) / 1000;
    const rate = seconds > 0 ? Math.round(files.length / seconds) : files.length;
    io.stderr(`flowc check: ${files.length} file${files.length === 1 ? '' : 's'} in ${seconds.toFixed(2)} s (${rate} files/s, ${jobs} thread${jobs === 1 ? '' : 's'}).\n`);
  }
  if (errors > 0) return 1;
  if (args.flags['deny-warnings'] && warnings > 0) return 1;
  if (warnings > maxWarnings) {
    io.stderr(`flowc check: ${warnings} warnings exceed --max-warnings ${maxWarnings}.\n`);
    return 1;
  }
  return 0;
}
