/**
 * `flowc resume RUN_ID [--from STEP] [--max-workers N] [--datastore LOC] [--namespace NS] [--tag T]...`:
 * start a new run of the same flow (reloaded from its file, so edited steps run again) with the same parameters,
 * reusing every finished task before STEP (default: the first failed step). RUN_ID may be `FLOW/RUN_ID`.
 * The run may have been made on any target: its records are in the datastore (e.g. `--datastore s3://...`).
 *
 * `--target batch`: instead of running locally, print the execution input that starts a new execution of the
 * deployed state machine resuming RUN_ID by reference (the task runtime takes over finished tasks whose step is
 * unchanged, docs/targets.md), and the AWS CLI command that starts it.
 *
 * `--target argo`: print a Workflow that starts a new run on Argo resuming RUN_ID by reference (its pods take over
 * the finished tasks whose step is unchanged, docs/targets.md) and runs the rest.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { FlowcConfig } from '../compiler/config-types.ts';
import type { FlowIR } from '../compiler/ir.ts';
import { searchLocations } from './local-support.ts';
import { isS3Url } from '../targets/local/datastore.ts';
import { locateRunById } from '../targets/local/locate.ts';
import { defaultNamespace, readIR, readTasks } from '../targets/local/records.ts';
import { shellQuote } from '../targets/protocol/index.ts';
import { planResume } from '../targets/local/resume.ts';
import { runCommand } from './run-command.ts';
import { typeChecker } from '../targets/local/validate.ts';
import { parseArgs, positiveInt } from './args.ts';
import { optionsOf } from './commands.ts';
import { UsageError, type CliIO } from './io.ts';
import { loadFlow, lowerFlow } from './load-flow.ts';
import { renderTextReport, useColor } from './report-text.ts';

export default async function resume(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, optionsOf('resume'));
  const target = args.values.target;
  if (target !== undefined && target !== 'local' && target !== 'batch' && target !== 'argo') throw new UsageError(`--target for resume is 'local' (the default), 'argo' or 'batch', got '${target}'.`);
  if (args.positionals.length !== 1) throw new UsageError('Give exactly one run id.');
  const maxWorkers = positiveInt(args, 'max-workers') ?? availableParallelism();
  const found = await locateRunById(await searchLocations(io, args.values.datastore), args.positionals[0]);
  if (!found) {
    io.stderr(`flowc resume: no run '${args.positionals[0]}' found${args.values.datastore ? ` in ${args.values.datastore}` : ' (give --datastore if it is elsewhere)'}.\n`);
    return 1;
  }
  const { ds, run: origin } = found;
  if ((target === 'batch' || target === 'argo') && !isS3Url(ds.location)) {
    io.stderr(`flowc resume: run ${origin.flow}/${origin.id} is in '${ds.location}', which ${target === 'argo' ? 'pods on Argo' : 'Batch jobs'} cannot reach; resume a run kept in S3 (--datastore s3://...).\n`);
    return 1;
  }
  if (target === 'batch') {
    const input = {
      flowc: { origin: origin.id, namespace: args.values.namespace ?? defaultNamespace(io.env), tags: args.lists.tag ?? origin.tags },
    };
    const text = JSON.stringify(input);
    io.stdout(`${text}\n`);
    io.stderr(
      `flowc resume: start it with\n  aws stepfunctions start-execution --state-machine-arn <ARN of ${origin.flow}'s state machine> --input ${shellQuote(text)}\n` +
        `Finished tasks of ${origin.flow}/${origin.id} whose step is unchanged are taken over from ${ds.location}; the rest run.\n`,
    );
    return 0;
  }
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
  if (target === 'argo') {
    const { resumeOnArgo } = await import('./argo-run.ts');
    return resumeOnArgo(io, origin, ds.location, ir, config, args.values.namespace ?? defaultNamespace(io.env));
  }
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
