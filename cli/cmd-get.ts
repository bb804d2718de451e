/**
 * `flowc get FLOW/RUN/ARTIFACT` (also `FLOW/RUN/STEP/ARTIFACT` and `FLOW/RUN/STEP/TASK/ARTIFACT`): print an
 * artifact's value. RUN may be `latest` (the newest run in the namespace). Strings print as they are, other
 * values as JSON (`--json` prints strings as JSON too); a `file` artifact prints its bytes, or is written to
 * `--out PATH` like a `dir`. Exit 1 when the run or artifact does not exist.
 */
import { stringifyJson } from '../targets/protocol/json64.ts';
import { resolve } from 'node:path';
import { materialize } from '../targets/local/artifacts.ts';
import { searchLocations, splitRunPath } from './local-support.ts';
import { locateRun, noRunMessage } from '../targets/local/locate.ts';
import { artifactValue, findArtifact, NotFound } from '../targets/local/query.ts';
import { defaultNamespace } from '../targets/local/records.ts';
import { parseArgs } from './args.ts';
import { optionsOf } from './commands.ts';
import { UsageError, type CliIO } from './io.ts';

export default async function get(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, optionsOf('get'));
  if (args.positionals.length !== 1) throw new UsageError('Give one FLOW/RUN/ARTIFACT.');
  const parts = splitRunPath(args.positionals[0], 3, 5, 'FLOW/RUN/ARTIFACT, FLOW/RUN/STEP/ARTIFACT or FLOW/RUN/STEP/TASK/ARTIFACT');
  const [flow, runId] = parts;
  const name = parts[parts.length - 1];
  const namespace = args.flags['all-namespaces'] ? null : (args.values.namespace ?? defaultNamespace(io.env));
  const locations = await searchLocations(io, args.values.datastore);
  const found = await locateRun(locations, flow, runId, namespace);
  if (!found) {
    io.stderr(`flowc get: ${await noRunMessage(locations, flow, runId, namespace)}\n`);
    return 1;
  }
  try {
    const hit = await findArtifact(found.ds, found.run, name, { step: parts.length >= 4 ? parts[2] : undefined, task: parts.length === 5 ? parts[3] : undefined });
    const meta = hit.metas[0];
    if (!hit.many && (meta.storage === 'file' || meta.storage === 'dir')) {
      if (args.values.out) {
        await materialize(found.ds, meta, resolve(io.cwd, args.values.out));
        return 0;
      }
      if (meta.storage === 'dir') throw new UsageError(`'${name}' is a directory; give --out DIR to write it.`);
      if (meta.sha) {
        io.stdout((await found.ds.getBytes(meta.sha)).toString('utf8'));
        return 0;
      }
    }
    const value = await artifactValue(found.ds, hit);
    io.stdout(`${typeof value === 'string' && !args.flags.json ? value : stringifyJson(value, typeof value === 'object' && value !== null ? 2 : undefined)}\n`);
    return 0;
  } catch (err) {
    if (err instanceof NotFound) {
      io.stderr(`flowc get: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
}
