/**
 * Runs on Argo started by hand: the workflow parameters of `flowc build --target argo --param ...` (written as
 * `argo-params.json`, for `argo submit --parameter-file`), and the Workflow that `flowc resume RUN_ID --target
 * argo` prints. Pure; loaded only by those commands.
 */
import { irJson, type FlowIR } from '../../compiler/ir.ts';
import type { ResumeRequest, ResumeResult } from '../types.ts';
import { isError } from '../../diagnostics/types.ts';
import { buildArgoManifests } from './index.ts';
import type { WorkflowTemplate } from './manifest-types.ts';
import { joinManifests, serializeManifest } from './serialize.ts';
import { RESUME_FROM_PARAM } from './step.ts';

/** The user part of a `user:NAME` namespace, else undefined. */
const userOf = (namespace: string): string | undefined => (namespace.startsWith('user:') ? namespace.slice(5) : undefined);

/**
 * Argo workflow parameters from a run's submission input (`submissionInput`: typed values, uploaded files as
 * `{"sha": ...}`, `s3://` URLs, and `flowc: {namespace}`): strings as written, everything else as JSON text (what
 * the first pod decodes), the namespace as `flowc-user` (`user:NAME`) or `flowc-namespace`, and tags as `flowc-tags`.
 */
function argoParameters(ir: FlowIR, input: Record<string, unknown>): Record<string, string> {
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

/** `argo-params.json` of `flowc build --target argo --param ...`: the workflow parameters, for `argo submit --parameter-file`. */
export const paramsFile = (ir: FlowIR, input: Record<string, unknown>): string => `${JSON.stringify(argoParameters(ir, input), null, 2)}\n`;

/**
 * `flowc resume RUN_ID --target argo`: a Workflow that resumes the run by reference (its pods take the finished
 * tasks over from the datastore, which the caller has checked is in S3), and how to submit it. Its parameters
 * carry the new run's namespace and tags (as `flowc build --param` gives them) and `--from STEP`; it is the
 * Workflow alone (a flow's CronWorkflow or Sensor would start runs of their own).
 */
export function resumeOnArgo(req: ResumeRequest): ResumeResult {
  const { run, datastore } = req;
  const ir = req.ir!;
  const { manifests, diagnostics } = buildArgoManifests(ir, { config: { ...req.config, datastore }, sourceFile: run.sourceFile, kind: 'workflow', originRun: run.id });
  if (diagnostics.some(isError)) return { stdout: '', hint: '', diagnostics };
  const values: Record<string, string> = { ...argoParameters(ir, { flowc: { namespace: req.namespace, tags: req.tags } }), [RESUME_FROM_PARAM]: req.from ?? '' };
  const wf = manifests[0] as WorkflowTemplate;
  const args = wf.spec.arguments!;
  args.parameters = args.parameters!.map((p) => (p.name in values ? { ...p, value: values[p.name] } : p));
  return {
    stdout: joinManifests([serializeManifest(wf, 'yaml')], 'yaml'),
    hint: 'submit it with\n  argo submit -\n',
    diagnostics,
  };
}
