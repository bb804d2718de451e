/** Helpers shared by the local-run commands (`cmd-{run,resume,runs,show,get,serve}.ts`). */
import { dirname } from 'node:path';
import { findConfig, readConfig } from './load-flow.ts';
import { UsageError, type CliIO } from './io.ts';
import { candidateLocations, resolveLocation } from '../targets/local/locate.ts';

/** The datastores a read command searches: `--datastore`, else flowc.yaml's, the nearest `.flowc/`, remembered ones. */
export async function searchLocations(io: CliIO, explicit: string | undefined): Promise<string[]> {
  let configured: string | null = null;
  if (!explicit) {
    const path = findConfig(io.cwd);
    const datastore = path ? readConfig(io, path).config.datastore : undefined;
    if (path && datastore) configured = resolveLocation(datastore, dirname(path));
  }
  return candidateLocations({ cwd: io.cwd, env: io.env, explicit, configured });
}

/** Splits `FLOW/RUN[/...]`, checking the number of parts. */
export function splitRunPath(text: string, min: number, max: number, what: string): string[] {
  const parts = text.split('/').filter(Boolean);
  if (parts.length < min || parts.length > max) throw new UsageError(`Expected ${what}, got '${text}'.`);
  return parts;
}

