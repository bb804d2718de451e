/** `flowc check PATH...`: every problem in every flow, then exit 0 (clean or warnings only), 1 (errors). */
import { parseArgs } from './args.ts';
import { UsageError, type CliIO } from './io.ts';
import { expandPaths, loadFlow, type FileReport } from './load-flow.ts';
import { countBySeverity, useColor } from './report-text.ts';
import { reporters } from './reporters.ts';

export default async function check(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, [
    { name: 'format', type: 'string' },
    { name: 'config', type: 'string' },
    { name: 'max-warnings', type: 'string' },
    { name: 'deny-warnings', type: 'boolean' },
  ]);
  if (args.positionals.length === 0) throw new UsageError('Give at least one .flow file or directory.');
  const format = args.values.format ?? 'text';
  const makeReporter = reporters[format];
  if (!makeReporter) throw new UsageError(`Unknown format '${format}'; expected one of ${Object.keys(reporters).join(', ')}.`);
  const maxWarnings = args.values['max-warnings'] === undefined ? Infinity : Number(args.values['max-warnings']);
  if (!Number.isInteger(maxWarnings) && maxWarnings !== Infinity) throw new UsageError('--max-warnings takes a whole number.');

  const files = expandPaths(io, args.positionals);
  const reports: FileReport[] = [];
  const seen = new Set<string>();
  for (const path of files) {
    const loaded = loadFlow(io, path, args.values.config);
    for (const r of loaded.reports) {
      // A shared flowc.yaml is reported once, however many flows use it.
      if (seen.has(r.file)) continue;
      seen.add(r.file);
      reports.push(r);
    }
  }
  const reporter = await makeReporter();
  io.stdout(reporter(reports, { color: useColor(io.env, io.isTTY), nFiles: files.length }));
  const { errors, warnings } = countBySeverity(reports);
  if (errors > 0) return 1;
  if (args.flags['deny-warnings'] && warnings > 0) return 1;
  if (warnings > maxWarnings) {
    io.stderr(`flowc check: ${warnings} warnings exceed --max-warnings ${maxWarnings}.\n`);
    return 1;
  }
  return 0;
}
