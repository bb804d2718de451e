/**
 * `flowc build FILE --target T [--out DIR] [--check]`: check the flow, lower it, run the target (the targets
 * are those of `targets/registry.ts`).
 * Nothing is written when there is any error; `--check` exits 1 listing outputs that are stale (the GitOps guard).
 */
import { resolve } from 'node:path';
import type { Diagnostic } from '../diagnostics/types.ts';
import { findTarget, targets } from '../targets/registry.ts';
import type { TargetOptions } from '../targets/types.ts';
import { parseArgs } from './args.ts';
import { UsageError, type CliIO } from './io.ts';
import { loadFlow, lowerFlow } from './load-flow.ts';
import { renderTextReport, useColor } from './report-text.ts';
import { staleOutputs, writeOutputs } from './write-files.ts';

export default async function build(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, [
    { name: 'target', short: 't', type: 'string' },
    { name: 'out', short: 'o', type: 'string' },
    { name: 'check', type: 'boolean' },
    { name: 'config', type: 'string' },
    { name: 'format', type: 'string' },
    { name: 'kind', type: 'string' },
  ]);
  if (args.positionals.length !== 1) throw new UsageError('Give exactly one .flow file.');
  const targetName = args.values.target;
  const names = targets.map((t) => t.name).join(', ');
  if (!targetName) throw new UsageError(`Missing --target; expected one of ${names}.`);
  const target = findTarget(targetName);
  if (!target) throw new UsageError(`Unknown target '${targetName}'; expected one of ${names}.`);
  if (args.flags.check && !args.values.out) throw new UsageError('--check compares with the files in --out DIR; give --out.');

  const color = useColor(io.env, io.isTTY);
  const loaded = loadFlow(io, args.positionals[0], args.values.config);
  if (loaded.hasErrors) {
    io.stderr(renderTextReport(loaded.reports, { color }));
    return 1;
  }
  const warnings = renderTextReport(loaded.reports, { color });
  if (warnings) io.stderr(warnings);

  const buildTarget = await target.load();
  const options: TargetOptions = { config: loaded.config.config, sourceFile: loaded.analysis.file, format: args.values.format, kind: args.values.kind };
  const results = lowerFlow(loaded).map((ir) => buildTarget(ir, options));
  const diagnostics: Diagnostic[] = results.flatMap((r) => r.diagnostics);
  if (diagnostics.length > 0) {
    const report = [{ file: loaded.file, text: loaded.text, diagnostics }];
    io.stderr(renderTextReport(report, { color }));
    if (diagnostics.some((d) => d.severity === 'error')) return 1;
  }
  const files = results.flatMap((r) => r.files);
  if (!args.values.out) {
    io.stdout(results.map((r) => r.stdout).join(''));
    return 0;
  }
  const outDir = resolve(io.cwd, args.values.out);
  if (args.flags.check) {
    const stale = staleOutputs(outDir, files);
    if (stale.length === 0) {
      io.stdout(`${files.length} files in ${args.values.out} are up to date.\n`);
      return 0;
    }
    for (const s of stale) io.stdout(`${s.reason === 'missing' ? 'missing' : 'stale'}: ${args.values.out.replace(/\/$/, '')}/${s.path}\n`);
    io.stdout(`Run 'flowc build ${args.positionals[0]} --target ${targetName} --out ${args.values.out}' to update them.\n`);
    return 1;
  }
  writeOutputs(outDir, files);
  for (const f of files) io.stdout(`wrote ${args.values.out.replace(/\/$/, '')}/${f.path}\n`);
  return 0;
}
