/**
 * Target names: the deterministic mangling the Argo and Batch backends use for flow and step names, and the
 * limits they must fit. The checker reports names that cannot fit (`checks/target-names.ts`), so backends
 * may call these functions on a checked flow without further validation.
 *
 * Rules: camelCase is split (`trainModel` → `train-model`), `_` and any other character outside
 * `[a-z0-9]` become `-`, runs of `-` collapse, leading/trailing `-` are dropped, everything is lower-case.
 */

/** Kubernetes DNS-1123 label limit (step template names, label values). */
export const DNS_LABEL_MAX = 63;
/** Argo CronWorkflow names are limited to 52 characters (the controller appends a timestamp suffix). */
export const CRON_WORKFLOW_NAME_MAX = 52;
/** AWS Step Functions state machine names. */
export const STATE_MACHINE_NAME_MAX = 80;
/** AWS Batch job definition names. */
export const JOB_DEFINITION_NAME_MAX = 128;

/** A DNS-1123 label for a flow or step name (may exceed 63 characters; check with `DNS_LABEL_MAX`). */
export function toDnsLabel(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** True when `label` is a valid DNS-1123 label. */
export function isDnsLabel(label: string): boolean {
  return label.length > 0 && label.length <= DNS_LABEL_MAX && /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(label);
}

/** The Argo name of a flow (WorkflowTemplate, Workflow, CronWorkflow). */
export const argoFlowName = (flow: string): string => toDnsLabel(flow);
/** The Argo template / DAG task name of a step. */
export const argoStepName = (step: string): string => toDnsLabel(step);

/** An AWS name part: letters, digits, `-` and `_` are kept; anything else becomes `-`. */
export function toAwsName(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]+/g, '-');
}
/** The Step Functions state machine name of a flow. */
export const stateMachineName = (flow: string): string => toAwsName(flow);
/** The Batch job definition name of a step: `<flow>-<step>`. */
export const jobDefinitionName = (flow: string, step: string): string => `${toAwsName(flow)}-${toAwsName(step)}`;
