/**
 * `flowc run FILE [--param name=value]... [--max-workers N] [--datastore DIR|s3://...] [--namespace NS] [--tag T]...`:
 * check the flow and run it on this machine (targets/local). Exit 0 when the run succeeded, 1 when the flow has
 * errors or a task failed, 2 on bad usage. `--list-params` lists the flow's parameters (type, default, help text)
 * instead of running it.
 */
import { describeType, type FlowIR } from '../compiler/ir.ts';
import { stringifyJson } from '../targets/protocol/json64.ts';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { openDatastore } from '../targets/local/datastore.ts';
import { rememberDatastore, resolveLocation } from '../targets/local/locate.ts';
import { resolveParams, splitParamArg } from '../targets/local/params.ts';
import { defaultNamespace } from '../targets/local/records.ts';
import { runCommand } from './run-command.ts';
import { typeChecker } from '../targets/local/validate.ts';
import { parseArgs, positiveInt } from './args.ts';
import { optionsOf } from './commands.ts';
import { UsageError, type CliIO } from './io.ts';
import { findConfig, loadFlow, lowerFlow } from './load-flow.ts';
import { renderTextReport, useColor } from './report-text.ts';

export default async function runCmd(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, optionsOf('run'));
  if (args.positionals.length !== 1) throw new UsageError('Give exactly one .flow file.');
  const given: Record<string, string> = {};
  for (const p of args.lists.param ?? []) {
    const kv = splitParamArg(p);
    if (!kv) throw new UsageError(`--param expects name=value, got '${p}'.`);
    given[kv[0]] = kv[1];
  }
  const maxWorkers = positiveInt(args, 'max-workers') ?? availableParallelism();

  const loaded = loadFlow(io, args.positionals[0], args.values.config);
  const report = renderTextReport(loaded.reports, { color: useColor(io.env, io.isTTY) });
  if (report) io.stderr(report);
  if (loaded.hasErrors) return 1;
  const flows = lowerFlow(loaded);
  const ir = args.values.flow ? flows.find((f) => f.name === args.values.flow) : flows[0];
  if (!ir) throw new UsageError(args.values.flow ? `'${loaded.file}' has no flow '${args.values.flow}' (flows: ${flows.map((f) => f.name).join(', ')}).` : `'${loaded.file}' declares no flow.`);
  if (!args.values.flow && flows.length > 1) throw new UsageError(`'${loaded.file}' declares several flows (${flows.map((f) => f.name).join(', ')}); choose one with --flow.`);
  if (args.flags['list-params']) {
    io.stdout(listParams(ir));
    return 0;
  }

  const configPath = args.values.config ? resolve(io.cwd, args.values.config) : findConfig(dirname(loaded.path));
  const configured = loaded.config.config.datastore;
  const location = args.values.datastore
    ? resolveLocation(args.values.datastore, io.cwd)
    : configured && configPath
      ? resolveLocation(configured, dirname(configPath))
      : join(dirname(loaded.path), '.flowc');
  const ds = await openDatastore(location);
  const check = typeChecker(ir);
  const { params, errors } = await resolveParams(ir, given, { ds, cwd: io.cwd, check });
  if (errors.length) {
    io.stderr(errors.map((e) => `flowc run: ${e}\n`).join(''));
    return 1;
  }
  if (!location.startsWith('s3://')) await rememberDatastore(io.env, location);
  return runCommand(io, {
    ir,
    ds,
    params,
    check,
    sourceFile: loaded.path,
    namespace: args.values.namespace ?? defaultNamespace(io.env),
    tags: args.lists.tag ?? [],
    maxWorkers,
    env: io.env,
    resumeArgs: args.values.datastore ? ['--datastore', location] : [],
  });
}

/** `--list-params`: one line per parameter, `--param NAME=<TYPE>  (default VALUE | required)  HELP`. */
export function listParams(ir: FlowIR): string {
  if (ir.params.length === 0) return `Flow '${ir.name}' has no parameters.\n`;
  const rows = ir.params.map((p) => [
    `--param ${p.name}=<${describeType(p.type)}>`,
    p.required ? 'required' : `default ${p.default === undefined ? 'none' : typeof p.default === 'string' ? JSON.stringify(p.default) : stringifyJson(p.default)}`,
    p.description ?? '',
  ]);
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  return `Parameters of flow '${ir.name}':\n${rows.map((r) => `  ${r[0].padEnd(w0)}  ${r[1].padEnd(w1)}  ${r[2]}`.trimEnd()).join('\n')}\n`;
}
