/**
 * Kubernetes names for flows and steps. The mangling itself is the compiler's (`compiler/names.ts`), so the
 * checker's `name-collision` / `name-too-long` diagnostics and the names emitted here always agree; this module
 * adds what only the Argo target needs. Pure: no IO.
 */
import { argoStepName, CRON_WORKFLOW_NAME_MAX, DNS_LABEL_MAX } from '../../compiler/names.ts';

/** The longest DNS-1123 label (metadata names we emit, template and task names). */
export const MAX_NAME = DNS_LABEL_MAX;
/** Argo appends a timestamp suffix to CronWorkflow names for the Workflows they create. */
export const MAX_CRON_NAME = CRON_WORKFLOW_NAME_MAX;

const kubeNames = new Map<string, string>();

/**
 * A flow or step identifier as a DNS-1123 label (possibly too long; the caller checks the length).
 * Builders ask for the same few names many times per step, so answers are remembered (a pure function's cache,
 * emptied when it grows large).
 */
export function kubeName(identifier: string): string {
  let name = kubeNames.get(identifier);
  if (name === undefined) {
    name = argoStepName(identifier);
    if (kubeNames.size >= 100_000) kubeNames.clear();
    kubeNames.set(identifier, name);
  }
  return name;
}

/** A label value: at most 63 characters of `[A-Za-z0-9._-]`, starting and ending alphanumeric (or empty). */
export function labelValue(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 63).replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
}
