/**
 * `flowc build FILE --target T [--out DIR] [--check] [--datastore s3://...]`: check the flow, lower it, run the
 * target (the targets are those of `targets/registry.ts`). Nothing is written when there is any error; `--check`
 * exits 1 listing outputs that are stale (the GitOps guard). `--datastore` overrides `datastore` of flowc.yaml.
 *
 * `--target batch --param NAME=VALUE... [--namespace NS] [--tag T]...` also writes `input.json`, the execution
 * input of a run started by hand: parameter values, local `file`/`dir` paths uploaded into the datastore first
 * (the task gets a path to its downloaded copy), and the run's namespace (`user:$USER` by default).
 * `--target argo --param ...` writes the same as `argo-params.json`, the workflow parameters for
 * `argo submit --parameter-file` (strings as written, other values as JSON, the namespace as `flowc-user`).
 */
import { resolve } from 'node:path';
import type { FlowIR } from '../compiler/ir.ts';
import type { Diagnostic } from '../diagnostics/types.ts';
import { buildTargets, findBuildTarget, targets } from '../targets/registry.ts';
import type { TargetOptions } from '../targets/types.ts';
import { parseArgs, positiveInt } from './args.ts';
import { optionsOf } from './commands.ts';
import { UsageError, type CliIO } from './io.ts';
import { loadFlow, lowerFlow } from './load-flow.ts';
import { renderTextReport, useColor } from './report-text.ts';
import { staleOutputs, writeOutputs } from './write-files.ts';

export default async function build(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, optionsOf('build'));
  if (args.positionals.length !== 1) throw new UsageError('Give exactly one .flow file.');
  const targetName = args.values.target;
  const names = buildTargets.map((t) => t.name).join(', ');
  if (!targetName) throw new UsageError(`Missing --target; expected one of ${names}.`);
  const target = findBuildTarget(targetName);
  if (!target) throw new UsageError(`Unknown target '${targetName}'; expected one of ${names}.`);
  if (args.flags.check && !args.values.out) throw new UsageError('--check compares with the files in --out DIR; give --out.');
  const submitting = args.lists.param !== undefined || args.values.namespace !== undefined || args.lists.tag !== undefined;
  if (submitting && (!target.submission || !args.values.out)) {
    const submitters = targets.filter((t) => t.submission);
    throw new UsageError(
      `--param, --namespace and --tag write the input of a run started by hand (${submitters.map((t) => `${t.submission!.file} for ${t.name}`).join(', ')}): give --target ${submitters.map((t) => t.name).join(' or ')}, and --out DIR.`,
    );
  }

  const color = useColor(io.env, io.isTTY);
  const loaded = loadFlow(io, args.positionals[0], args.values.config);
  if (loaded.hasErrors) {
    io.stderr(renderTextReport(loaded.reports, { color }));
    return 1;
  }
  const warnings = renderTextReport(loaded.reports, { color });
  if (warnings) io.stderr(warnings);

  const buildTarget = await target.load();
  const maxWorkers = positiveInt(args, 'max-workers');
  const config = {
    ...loaded.config.config,
    ...(args.values.datastore ? { datastore: args.values.datastore } : {}),
    ...(maxWorkers !== undefined ? { maxWorkers } : {}),
  };
  const options: TargetOptions = { config, sourceFile: loaded.analysis.file, format: args.values.format, kind: args.values.kind };
  // A self-contained Argo Workflow is started by hand: its runs' namespace is the current user's (user:NAME).
  if (target.name === 'argo' && args.values.kind === 'workflow') {
    const { defaultNamespace } = await import('../targets/local/records.ts');
    options.user = defaultNamespace(io.env).replace(/^user:/, '');
  }
  const irs = lowerFlow(loaded);
  const results = irs.map((ir) => buildTarget(ir, options));
  const diagnostics: Diagnostic[] = results.flatMap((r) => r.diagnostics);
  if (diagnostics.length > 0) {
    const report = [{ file: loaded.file, text: loaded.text, diagnostics }];
    io.stderr(renderTextReport(report, { color }));
    if (diagnostics.some((d) => d.severity === 'error')) return 1;
  }
  const files = results.flatMap((r) => r.files);
  if (submitting && target.submission) {
    const input = await submission(io, irs[0], config.datastore, args.lists.param ?? [], args.values.namespace, args.lists.tag ?? []);
    if (typeof input === 'number') return input;
    const content = await target.submission.load();
    files.push({ path: target.submission.file, content: content(irs[0], input) });
  }
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
  const unchanged = writeOutputs(outDir, files);
  const shown = args.values.out.replace(/\/$/, '');
  const wrote = files.filter((f) => !unchanged.has(f.path)).map((f) => `wrote ${shown}/${f.path}\n`);
  if (unchanged.size > 0) wrote.push(`${unchanged.size} ${unchanged.size === 1 ? 'file' : 'files'} in ${shown} already up to date\n`);
  io.stdout(wrote.join(''));
  return 0;
}

/** The execution input of a run started by hand (`input.json`), uploading local file/dir parameters first. */
async function submission(io: CliIO, ir: FlowIR, datastore: string | undefined, params: string[], namespace: string | undefined, tags: string[]): Promise<Record<string, unknown> | number> {
  const { splitParamArg, submissionInput } = await import('../targets/local/params.ts');
  const { openDatastore, isS3Url } = await import('../targets/local/datastore.ts');
  const { defaultNamespace } = await import('../targets/local/records.ts');
  const { typeChecker } = await import('../targets/local/validate.ts');
  if (!datastore || !isS3Url(datastore)) throw new UsageError('--param needs the datastore in S3 (datastore: s3://... in flowc.yaml, or --datastore) to upload files into.');
  const given: Record<string, string> = {};
  for (const p of params) {
    const kv = splitParamArg(p);
    if (!kv) throw new UsageError(`--param expects name=value, got '${p}'.`);
    given[kv[0]] = kv[1];
  }
  const ds = await openDatastore(datastore);
  const { input, errors } = await submissionInput(ir, given, { ds, cwd: io.cwd, check: typeChecker(ir), namespace: namespace ?? defaultNamespace(io.env), tags });
  if (errors.length > 0) {
    for (const e of errors) io.stderr(`flowc build: ${e}\n`);
    return 1;
  }
  return input;
}
