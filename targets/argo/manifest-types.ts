/**
 * The subset of Argo Workflows (and Argo Events) resource types this target emits, as plain typed objects.
 * Field names follow the upstream API exactly; optional fields are left out rather than set to empty values,
 * so serialization never prints `{}` or `[]` noise. Key order in the output is the order fields are assigned.
 */

export type Labels = Record<string, string>;

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  labels?: Labels;
  annotations?: Labels;
}

export interface Parameter {
  name: string;
  value?: string;
  default?: string;
  description?: string;
  valueFrom?: { path?: string; parameter?: string; expression?: string; jsonPath?: string; default?: string };
}

export interface S3Location {
  bucket?: string;
  endpoint?: string;
  region?: string;
  key: string;
}

export interface Artifact {
  name: string;
  path?: string;
  from?: string;
  fromExpression?: string;
  raw?: { data: string };
  s3?: S3Location;
  archive?: { none: Record<string, never> };
  optional?: boolean;
}

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef: { name: string; key: string; optional?: boolean } };
}

export interface Container {
  image: string;
  command: string[];
  env?: EnvVar[];
  envFrom?: { secretRef: { name: string } }[];
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  volumeMounts?: { name: string; mountPath: string }[];
}

export interface Volume {
  name: string;
  emptyDir?: { medium?: 'Memory'; sizeLimit?: string };
}

export interface Toleration {
  key: string;
  operator: 'Equal' | 'Exists';
  value?: string;
  effect?: string;
}

export interface DagTask {
  name: string;
  template: string;
  depends?: string;
  when?: string;
  /** The DAG goes on (and succeeds) when this task failed or errored. */
  continueOn?: { failed?: boolean; error?: boolean };
  withParam?: string;
  withSequence?: { count: string };
  arguments?: { parameters?: Parameter[]; artifacts?: Artifact[] };
}

export interface Template {
  name: string;
  metadata?: { labels?: Labels; annotations?: Labels };
  inputs?: { parameters?: Parameter[]; artifacts?: Artifact[] };
  outputs?: { parameters?: Parameter[]; artifacts?: Artifact[] };
  /** Pods running at once within one call of this template (its whole subtree). */
  parallelism?: number;
  dag?: { failFast?: boolean; tasks: DagTask[] };
  container?: Container;
  /** A resource template: creates a Kubernetes object (the headless Service and PodGroup of a `@parallel` step). */
  resource?: { action: 'create'; setOwnerReference?: boolean; manifest: string };
  retryStrategy?: { limit: number; retryPolicy?: 'Always' | 'OnFailure' | 'OnError' | 'OnTransientError'; backoff?: { duration: string } };
  activeDeadlineSeconds?: number;
  nodeSelector?: Record<string, string>;
  tolerations?: Toleration[];
  serviceAccountName?: string;
  /** The scheduler that places the pod (a gang scheduler's, for `@parallel` steps with `argo.gang`). */
  schedulerName?: string;
  volumes?: Volume[];
}

export interface WorkflowSpec {
  entrypoint?: string;
  /** The template run when the workflow ends, whatever its outcome. */
  onExit?: string;
  /** Pods of one run running at once. */
  parallelism?: number;
  /** Higher first, when the controller holds workflows back. */
  priority?: number;
  podGC?: { strategy: 'OnPodCompletion' | 'OnPodSuccess' | 'OnWorkflowCompletion' | 'OnWorkflowSuccess' };
  ttlStrategy?: { secondsAfterCompletion?: number; secondsAfterSuccess?: number; secondsAfterFailure?: number };
  serviceAccountName?: string;
  arguments?: { parameters: Parameter[] };
  workflowTemplateRef?: { name: string };
  /** Labels every run (Workflow) gets, so runs are found by flow and project. */
  workflowMetadata?: { labels?: Labels };
  templates?: Template[];
}

export interface WorkflowTemplate {
  apiVersion: 'argoproj.io/v1alpha1';
  kind: 'WorkflowTemplate' | 'Workflow';
  metadata: ObjectMeta;
  spec: WorkflowSpec;
}

export interface CronWorkflow {
  apiVersion: 'argoproj.io/v1alpha1';
  kind: 'CronWorkflow';
  metadata: ObjectMeta;
  spec: {
    schedules: string[];
    timezone: string;
    concurrencyPolicy: 'Allow' | 'Forbid' | 'Replace';
    startingDeadlineSeconds?: number;
    successfulJobsHistoryLimit?: number;
    failedJobsHistoryLimit?: number;
    workflowMetadata?: { labels?: Labels; annotations?: Labels };
    workflowSpec: WorkflowSpec;
  };
}

export interface Sensor {
  apiVersion: 'argoproj.io/v1alpha1';
  kind: 'Sensor';
  metadata: ObjectMeta;
  spec: {
    template?: { serviceAccountName: string };
    dependencies: { name: string; eventSourceName: string; eventName: string }[];
    triggers: {
      template: {
        name: string;
        conditions: string;
        argoWorkflow: {
          operation: 'submit';
          source: { resource: { apiVersion: 'argoproj.io/v1alpha1'; kind: 'Workflow'; metadata: ObjectMeta; spec: WorkflowSpec } };
          parameters?: { src: { dependencyName: string; dataKey: string }; dest: string }[];
        };
      };
    }[];
  };
}

/** An Argo Events EventSource of type `resource`: events when Kubernetes objects change. */
export interface EventSource {
  apiVersion: 'argoproj.io/v1alpha1';
  kind: 'EventSource';
  metadata: ObjectMeta;
  spec: {
    template?: { serviceAccountName: string };
    resource: Record<
      string,
      {
        namespace?: string;
        group: string;
        version: string;
        resource: string;
        eventTypes: string[];
        filter: { afterStart: boolean; labels: { key: string; operation: string; value: string }[] };
      }
    >;
  };
}

export type Manifest = WorkflowTemplate | CronWorkflow | Sensor | EventSource;
