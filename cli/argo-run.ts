/**
 * What the CLI adds for runs on Argo started by hand: the workflow parameters of `flowc build --target argo
 * --param ...` (written as `argo-params.json`, for `argo submit --parameter-file`), and the Workflow that
 * `flowc resume RUN_ID --target argo` prints. Loaded only by those commands.
 */
import type { FlowcConfig } from '../compiler/config-types.ts';
import { irJson, type FlowIR } from '../compiler/ir.ts';
import type { TargetResult } from '../targets/types.ts';
import type { CliIO } from './io.ts';

/** The user part of a `user:NAME` namespace, else undefined. */
export const userOf = (namespace: string): string | undefined => (namespace.startsWith('user:') ? namespace.slice(5) : undefined);

/**
 * Argo workflow parameters from a run's submission input (`submissionInput`: typed values, uploaded files as
 * `{"sha": ...}`, `s3://` URLs, and `flowc: {namespace}`): strings as written, everything else as JSON text (what
 * the first pod decodes), the namespace as `flowc-user` (`user:NAME`) or `flowc-namespace`, and tags as `flowc-tags`.
 */
export function argoParameters(ir: FlowIR, input: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of ir.params) {
    if (!(p.name in input)) continue;
    const v = input[p.name];
    out[p.name] = typeof v === 'string' ? v : irJson(v);
  }
  const opts = input.flowc as { namespace?: string; tags?: string[] } | undefined;
  if (opts?.tags && opts.tags.length > 0) out['flowc-tags'] = JSON.stringify(opts.tags);
  const ns = opts?.namespace;
  if (ns) {
    const user = userOf(ns);
    if (user !== undefined) out['flowc-user'] = user;
    else out['flowc-namespace'] = ns;
  }
  return out;
}

/**
 * `flowc resume RUN_ID --target argo`: prints a Workflow that resumes the run by reference (its pods take the
 * finished tasks over from the datastore, which the caller has checked is in S3), and how to submit it.
 */
export async function resumeOnArgo(
  io: CliIO,
  run: { flow: string; id: string; sourceFile: string },
  datastore: string,
  ir: FlowIR,
  config: FlowcConfig,
  namespace: string,
): Promise<number> {
  const { buildArgo } = await import('../targets/argo/index.ts');
  const user = userOf(namespace);
  const res: TargetResult = buildArgo(ir, { config: { ...config, datastore }, sourceFile: run.sourceFile, kind: 'workflow', originRun: run.id, ...(user !== undefined ? { user } : {}) });
  const errors = res.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) {
    for (const d of errors) io.stderr(`flowc resume: ${d.code}: ${d.message}\n`);
    return 1;
  }
  io.stdout(res.stdout);
  io.stderr(
    `flowc resume: submit it with\n  argo submit -\n` +
      `Finished tasks of ${run.flow}/${run.id} whose step is unchanged are taken over from ${datastore}; the rest run.\n`,
  );
  return 0;
}
