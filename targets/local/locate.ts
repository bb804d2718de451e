/**
 * Finding datastores and runs from the command line.
 *
 * `flowc run` writes to `--datastore`, else `flowc.yaml`'s `datastore`, else `.flowc/` beside the flow file, and
 * remembers local datastores in a small per-user list (`$FLOWC_HOME/datastores`, default
 * `$XDG_STATE_HOME/flowc` or `~/.local/state/flowc`), so that `flowc runs`, `show`, `get`, `resume` and `serve`
 * find runs from any directory. Those commands read `--datastore` when given; otherwise `flowc.yaml`'s datastore
 * (looked up from the working directory), the nearest `.flowc/` in the working directory or above, and the
 * remembered ones.
 */
import { existsSync } from 'node:fs';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { didYouMean, suggest } from '../../diagnostics/suggest.ts';
import { isS3Url, openDatastore, type Datastore } from './datastore.ts';
import { findRun, listFlows, listRuns, readRun, type RunRecord } from './records.ts';

export function stateDir(env: Record<string, string | undefined>): string {
  if (env.FLOWC_HOME) return env.FLOWC_HOME;
  return join(env.XDG_STATE_HOME ?? join(env.HOME ?? homedir(), '.local', 'state'), 'flowc');
}

/** Resolves a configured datastore: S3 URLs as they are, directories relative to `baseDir`. */
export function resolveLocation(location: string, baseDir: string): string {
  return isS3Url(location) ? location.replace(/\/+$/, '') : isAbsolute(location) ? location : resolve(baseDir, location);
}

/** Adds a datastore to the per-user list (once). Failures to write the list are ignored: it is only a hint. */
export async function rememberDatastore(env: Record<string, string | undefined>, location: string): Promise<void> {
  try {
    const file = join(stateDir(env), 'datastores');
    const known = existsSync(file) ? (await readFile(file, 'utf8')).split('\n') : [];
    if (known.includes(location)) return;
    await mkdir(dirname(file), { recursive: true });
    await appendFile(file, `${location}\n`);
  } catch {
    // Not essential.
  }
}

/** Datastore locations to search, most specific first, without duplicates. */
export async function candidateLocations(opts: { cwd: string; env: Record<string, string | undefined>; explicit?: string; configured?: string | null }): Promise<string[]> {
  if (opts.explicit) return [resolveLocation(opts.explicit, opts.cwd)];
  const res: string[] = [];
  if (opts.configured) res.push(opts.configured);
  for (let dir = resolve(opts.cwd); ; dir = dirname(dir)) {
    if (existsSync(join(dir, '.flowc'))) {
      res.push(join(dir, '.flowc'));
      break;
    }
    if (dirname(dir) === dir) break;
  }
  try {
    const file = join(stateDir(opts.env), 'datastores');
    for (const line of (await readFile(file, 'utf8')).split('\n')) {
      if (line && (isS3Url(line) || existsSync(line))) res.push(line);
    }
  } catch {
    // No list yet.
  }
  return [...new Set(res)];
}

export interface FoundRun {
  ds: Datastore;
  run: RunRecord;
}

/** Finds `FLOW/RUN` (RUN an id or `latest`) across datastores; `latest` is the newest in the namespace. */
export async function locateRun(locations: string[], flow: string, run: string, namespace: string | null): Promise<FoundRun | null> {
  let best: FoundRun | null = null;
  for (const loc of locations) {
    const ds = await openDatastore(loc);
    const found = await findRun(ds, flow, run, namespace);
    if (!found) continue;
    if (run !== 'latest') return { ds, run: found };
    if (!best || found.startedAt > best.run.startedAt) best = { ds, run: found };
  }
  return best;
}

/** Why `FLOW/RUN` was not found, with the closest flow name when no datastore knows the flow. */
export async function noRunMessage(locations: string[], flow: string, run: string, namespace: string | null): Promise<string> {
  const flows = new Set<string>();
  for (const loc of locations) for (const f of await listFlows(await openDatastore(loc))) flows.add(f);
  const where = run === 'latest' && namespace ? ` in namespace ${namespace}` : '';
  return `no run ${flow}/${run}${where}.${flows.has(flow) ? '' : didYouMean(suggest(flow, flows))}`;
}

/** Finds a run by id alone (or `FLOW/ID`), in any flow of any datastore. */
export async function locateRunById(locations: string[], spec: string): Promise<FoundRun | null> {
  const slash = spec.indexOf('/');
  for (const loc of locations) {
    const ds = await openDatastore(loc);
    if (slash > 0) {
      const run = await readRun(ds, spec.slice(0, slash), spec.slice(slash + 1));
      if (run) return { ds, run };
      continue;
    }
    for (const flow of await listFlows(ds)) {
      const run = await readRun(ds, flow, spec);
      if (run) return { ds, run };
    }
  }
  return null;
}

/** Every run of every (or one) flow across datastores, newest first. */
export async function allRuns(locations: string[], flow: string | null, namespace: string | null): Promise<{ ds: Datastore; run: RunRecord }[]> {
  const res: { ds: Datastore; run: RunRecord }[] = [];
  for (const loc of locations) {
    const ds = await openDatastore(loc);
    for (const f of flow ? [flow] : await listFlows(ds)) for (const run of await listRuns(ds, f, namespace)) res.push({ ds, run });
  }
  return res.sort((a, b) => (a.run.startedAt < b.run.startedAt ? 1 : -1));
}
