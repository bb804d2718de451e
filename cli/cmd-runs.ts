/** `flowc runs [FLOW] [--all-namespaces] [--namespace NS] [--datastore LOC]`: list runs, newest first. */
import { hostname } from 'node:os';
import { searchLocations } from './local-support.ts';
import { allRuns } from '../targets/local/locate.ts';
import { defaultNamespace, displayStatus, pidAlive } from '../targets/local/records.ts';
import { parseArgs } from './args.ts';
import { optionsOf } from './commands.ts';
import { UsageError, type CliIO } from './io.ts';

export default async function runs(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, optionsOf('runs'));
  if (args.positionals.length > 1) throw new UsageError('Give at most one flow name.');
  const namespace = args.flags['all-namespaces'] ? null : (args.values.namespace ?? defaultNamespace(io.env));
  const found = await allRuns(await searchLocations(io, args.values.datastore), args.positionals[0] ?? null, namespace);
  const host = hostname();
  const rows = found.map(({ run }) => ({
    run: `${run.flow}/${run.id}`,
    status: displayStatus(run, host, pidAlive),
    started: run.startedAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z'),
    duration: run.finishedAt ? `${((Date.parse(run.finishedAt) - Date.parse(run.startedAt)) / 1000).toFixed(1)}s` : '-',
    namespace: run.namespace,
    tags: run.tags.join(','),
  }));
  if (args.flags.json) {
    io.stdout(`${JSON.stringify(rows, null, 2)}\n`);
    return 0;
  }
  if (rows.length === 0) {
    io.stdout(`No runs${args.positionals[0] ? ` of ${args.positionals[0]}` : ''}${namespace ? ` in namespace ${namespace} (--all-namespaces shows every namespace)` : ''}.\n`);
    return 0;
  }
  const header = { run: 'RUN', status: 'STATUS', started: 'STARTED', duration: 'DURATION', namespace: 'NAMESPACE', tags: 'TAGS' };
  const cols = Object.keys(header) as (keyof typeof header)[];
  const width = Object.fromEntries(cols.map((c) => [c, Math.max(header[c].length, ...rows.map((r) => r[c].length))])) as Record<keyof typeof header, number>;
  for (const r of [header, ...rows]) io.stdout(`${cols.map((c) => r[c].padEnd(width[c])).join('  ').trimEnd()}\n`);
  return 0;
}
