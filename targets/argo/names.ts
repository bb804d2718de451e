/**
 * Kubernetes names for flows and steps, and the limits they must fit (checked by `check.ts`, so the builders
 * may call these on a checked flow without further validation). Pure: no IO.
 *
 * Rules: camelCase is split (`trainModel` → `train-model`), `_` and any other character outside `[a-z0-9]`
 * become `-`, runs of `-` collapse, leading/trailing `-` are dropped, everything is lower-case.
 */

/** The longest DNS-1123 label (metadata names we emit, template and task names). */
export const MAX_NAME = 63;
/** Argo appends a timestamp suffix to CronWorkflow names for the Workflows they create, so they are limited to 52. */
export const MAX_CRON_NAME = 52;

/** The name of the entrypoint DAG template. */
export const ENTRYPOINT = 'flowc-dag';
/** The name of the exit handler template (records a failed run in the datastore). */
export const EXIT_HANDLER = 'flowc-exit';
/** With notifications (`argo.notify`): the exit handler's DAG, calling `EXIT_HANDLER` so that its failure does not change the run's outcome. */
export const NOTIFY_EXIT_DAG = 'flowc-on-exit';

const kubeNames = new Map<string, string>();

/**
 * A flow or step identifier as a DNS-1123 label (possibly too long; the caller checks the length).
 * Builders ask for the same few names many times per step, so answers are remembered (a pure function's cache,
 * emptied when it grows large).
 */
export function kubeName(identifier: string): string {
  let name = kubeNames.get(identifier);
  if (name === undefined) {
    name = identifier
      .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
      .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '');
    if (kubeNames.size >= 100_000) kubeNames.clear();
    kubeNames.set(identifier, name);
  }
  return name;
}

/** The template (and DAG task) name of a step. */
export const stepTemplateName = (step: string): string => kubeName(step);
/** The template (and DAG task) name of a foreach step's body. */
export const bodyTemplateName = (foreach: string): string => `${kubeName(foreach)}-foreach`;
/** The template that fans a foreach out under `@max_workers(N)` (its `parallelism` bounds the fan-out). */
export const workersTemplateName = (foreach: string): string => `${kubeName(foreach)}-workers`;

/** The template (and DAG task) name of a bounded loop, by its switching step. */
export const loopTemplateName = (loop: string): string => `${kubeName(loop)}-loop`;

/** A label value: at most 63 characters of `[A-Za-z0-9._-]`, starting and ending alphanumeric (or empty). */
export function labelValue(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 63).replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
}
