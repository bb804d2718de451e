/**
 * `flowc resume RUN_ID [--from STEP] [--max-workers N] [--datastore LOC] [--namespace NS] [--tag T]...`:
 * start a new run of the same flow (reloaded from its file, so edited steps run again) with the same parameters,
 * reusing every finished task before STEP (default: the first failed step). RUN_ID may be `FLOW/RUN_ID`.
 * `--from STEP` and `--tag` mean the same on every target.
 * The run may have been made on any target: its records are in the datastore (e.g. `--datastore s3://...`).
 *
 * `--target T`: the targets of the registry that run here (`local`, the default) or resume remotely (a target
 * record's `resume`: `batch` prints the execution input of a new execution of the deployed state machine,
 * `argo` a Workflow; either resumes RUN_ID by reference, its tasks taking over the finished ones whose step is
 * unchanged, docs/targets.md).
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { FlowcConfig } from '../compiler/config-types.ts';
import type { FlowIR } from '../compiler/ir.ts';
import { resumeTargets } from '../targets/registry.ts';
import { searchLocations } from './local-support.ts';
import { isS3Url } from '../targets/local/datastore.ts';
import { locateRunById } from '../targets/local/locate.ts';
import { defaultNamespace, readIR, readTasks } from '../targets/local/records.ts';
import { planResume, unknownFromStep } from '../targets/local/resume.ts';
import { runCommand } from './run-command.ts';
import { typeChecker } from '../targets/local/validate.ts';
import { parseArgs, positiveInt } from './args.ts';
import { optionsOf } from './commands.ts';
import { UsageError, type CliIO } from './io.ts';
import { loadFlow, lowerFlow } from './load-flow.ts';
import { renderTextReport, useColor } from './report-text.ts';

export default async function resume(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, optionsOf('resume'));
  const target = args.values.target === undefined ? resumeTargets.find((t) => t.runsHere) : resumeTargets.find((t) => t.name === args.values.target);
  if (!target) {
    const names = resumeTargets.map((t) => `'${t.name}'${t.runsHere ? ' (the default)' : ''}`);
    throw new UsageError(`--target for resume is ${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}, got '${args.values.target}'.`);
  }
  const remote = target.resume;
  if (args.positionals.length !== 1) throw new UsageError('Give exactly one run id.');
  const maxWorkers = positiveInt(args, 'max-workers') ?? availableParallelism();
  const found = await locateRunById(await searchLocations(io, args.values.datastore), args.positionals[0]);
  if (!found) {
    io.stderr(`flowc resume: no run '${args.positionals[0]}' found${args.values.datastore ? ` in ${args.values.datastore}` : ' (give --datastore if it is elsewhere)'}.\n`);
    return 1;
  }
  const { ds, run: origin } = found;
  if (remote && !isS3Url(ds.location)) {
    io.stderr(`flowc resume: run ${origin.flow}/${origin.id} is in '${ds.location}', which ${remote.readers} cannot reach; resume a run kept in S3 (--datastore s3://...).\n`);
    return 1;
  }
  /** The new run on a remote target, started by hand: print what starts it and how. */
  const resumeRemotely = async (resume: NonNullable<typeof remote>, ir: FlowIR | null, config: FlowcConfig): Promise<number> => {
    const namespace = args.values.namespace ?? defaultNamespace(io.env);
    const res = (await resume.load())({ run: origin, datastore: ds.location, ir, config, namespace, tags: args.lists.tag ?? origin.tags, from: args.values.from });
    const errors = res.diagnostics.filter((d) => d.severity === 'error');
    for (const d of errors) io.stderr(`flowc resume: ${d.code}: ${d.message}\n`);
    if (errors.length > 0) return 1;
    io.stdout(res.stdout);
    io.stderr(`flowc resume: ${res.hint}`);
    const from = args.values.from !== undefined ? `, except those of step '${args.values.from}' and every step after it,` : '';
    io.stderr(`Finished tasks of ${origin.flow}/${origin.id} whose step is unchanged${from} are taken over from ${ds.location}; the rest run.\n`);
    return 0;
  };
  // `--from STEP` is checked against the flow on every target, so a remote resume needs it then too.
  if (remote && !remote.needsFlow && args.values.from === undefined) return resumeRemotely(remote, null, {});
  let ir: FlowIR | null = null;
  let config: FlowcConfig = {};
  if (existsSync(origin.sourceFile)) {
    const loaded = loadFlow(io, origin.sourceFile);
    config = loaded.config.config;
    const report = renderTextReport(loaded.reports, { color: useColor(io.env, io.isTTY) });
    if (report) io.stderr(report);
    if (loaded.hasErrors) return 1;
    ir = lowerFlow(loaded).find((f) => f.name === origin.flow) ?? null;
    if (!ir) {
      io.stderr(`flowc resume: '${origin.sourceFile}' no longer declares flow '${origin.flow}'.\n`);
      return 1;
    }
  } else {
    io.stderr(`flowc resume: warning: '${origin.sourceFile}' is gone; resuming with the flow as it was run.\n`);
    ir = await readIR(ds, origin.flow, origin.id);
    if (!ir) {
      io.stderr(`flowc resume: run ${origin.flow}/${origin.id} has no stored flow.\n`);
      return 1;
    }
  }
  const unknown = unknownFromStep(ir, args.values.from);
  if (unknown) {
    io.stderr(`flowc resume: ${unknown}\n`);
    return 1;
  }
  if (remote) return resumeRemotely(remote, ir, config);
  const plan = planResume(origin, await readTasks(ds, origin.flow, origin.id), ir, args.values.from);
  if (typeof plan === 'string') {
    io.stderr(`flowc resume: ${plan}\n`);
    return 1;
  }
  return runCommand(io, {
    ir,
    ds,
    params: origin.params,
    check: typeChecker(ir),
    sourceFile: origin.sourceFile,
    namespace: args.values.namespace ?? origin.namespace,
    tags: args.lists.tag ?? origin.tags,
    maxWorkers,
    env: io.env,
    resume: plan,
    resumeArgs: args.values.datastore ? ['--datastore', ds.location] : [],
  });
}
