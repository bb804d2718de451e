/**
 * `@parallel(nodes: N)` on Argo: a gang of N pods that find node 0 through a headless Service.
 *
 * For a gang step S, the DAG gets two tasks in S's scope:
 * - `<S>-service`, a resource template that creates a headless Service (`clusterIP: None`,
 *   `publishNotReadyAddresses`, so the name resolves as soon as node 0's pod has an address) whose selector is
 *   exactly node 0's pod: the workflow's own label (`workflows.argoproj.io/workflow`), `flowc.dev/step`,
 *   `flowc.dev/task` (the foreach task id, `0` outside any foreach) and `flowc.dev/node: "0"`. Its name comes from
 *   `generateName` (so it fits any run and foreach task) and is read back as the output `flowc-service`; the
 *   workflow owns it (`setOwnerReference`), so it is deleted with the run;
 * - `S` itself, fanned out with `withSequence: {count: N}`: each pod gets its rank (`flowc-node`, `{{item}}`) and
 *   the Service's name, which the runtime turns into RANK, WORLD_SIZE, MASTER_ADDR and MASTER_PORT (its default,
 *   29500, the runtime's GANG_PORT).
 * Argo fails the task when any pod fails; the runtime makes node 0 wait for the others' reports, and stops a
 * node's body when another node failed (docs/targets.md).
 *
 * With `argo.gang` in flowc.yaml the N pods are also gang-scheduled: a third task, `<S>-podgroup`, creates a
 * PodGroup with `minMember: N` (Volcano's `scheduling.volcano.sh/v1beta1`, or the coscheduling plugin's
 * `scheduling.x-k8s.io/v1alpha1`; `generateName`, owned by the workflow) and outputs its name `flowc-podgroup`;
 * each pod names it (Volcano: annotation `scheduling.k8s.io/group-name`; coscheduling: label
 * `scheduling.x-k8s.io/pod-group`) and has that scheduler's `schedulerName`, so the scheduler binds all N pods
 * together or none (no node waits at the rendezvous for one that cannot be placed).
 * Pure: no IO.
 */
import type { StepIR } from '../../compiler/ir.ts';
import type { GangConfig } from './config-types.ts';
import type { DagTask, EnvVar, Labels, Parameter, Template } from './manifest-types.ts';
import { kubeName, stepTemplateName } from './names.ts';
import { TASK_PARAM } from './pod.ts';
import { toYaml } from './yaml.ts';

/** The rank of a gang pod, and the name of its Service (inputs of a gang step's template). */
const NODE_PARAM = 'flowc-node';
const SERVICE_PARAM = 'flowc-service';
const PODGROUP_PARAM = 'flowc-podgroup';
/** The port node 0 listens on (torch's default; every pod has its own address). */
const GANG_PORT = 29500;

const serviceTemplateName = (step: string): string => `${stepTemplateName(step)}-service`;
const podGroupTemplateName = (step: string): string => `${stepTemplateName(step)}-podgroup`;

/** What each gang scheduler reads: its PodGroup kind, how a pod names its group, its usual scheduler name. */
const SCHEDULERS = {
  volcano: { apiVersion: 'scheduling.volcano.sh/v1beta1', member: 'annotation', key: 'scheduling.k8s.io/group-name', schedulerName: 'volcano' },
  coscheduling: { apiVersion: 'scheduling.x-k8s.io/v1alpha1', member: 'label', key: 'scheduling.x-k8s.io/pod-group', schedulerName: 'scheduler-plugins-scheduler' },
} as const;
const podGroupRef = `{{inputs.parameters.${PODGROUP_PARAM}}}`;

/** The task id of a step's pod: given by its caller in a foreach or a bounded loop (`withTaskParam`), else `0`. */
const taskIdOf = (withTaskParam: boolean): string => (withTaskParam ? `{{inputs.parameters.${TASK_PARAM}}}` : '0');

/** The labels a gang pod carries besides `flowc.dev/step`, so node 0's Service can select it (and its PodGroup's, for coscheduling). */
export function gangPodLabels(withTaskParam: boolean, gang: GangConfig | undefined): Labels {
  const labels: Labels = { 'flowc.dev/task': taskIdOf(withTaskParam), 'flowc.dev/node': `{{inputs.parameters.${NODE_PARAM}}}` };
  const s = gang && SCHEDULERS[gang.scheduler];
  if (s?.member === 'label') labels[s.key] = podGroupRef;
  return labels;
}

/** What a gang pod adds to its template: its inputs (rank, the Service's name, the PodGroup's) and, with `argo.gang`, its scheduler. */
export function gangPodTemplate(gang: GangConfig | undefined): Pick<Template, 'schedulerName'> & { inputs: Parameter[]; annotations?: Labels } {
  if (!gang) return { inputs: [{ name: NODE_PARAM }, { name: SERVICE_PARAM }] };
  const s = SCHEDULERS[gang.scheduler];
  return {
    inputs: [{ name: NODE_PARAM }, { name: SERVICE_PARAM }, { name: PODGROUP_PARAM }],
    schedulerName: gang.schedulerName ?? s.schedulerName,
    ...(s.member === 'annotation' ? { annotations: { [s.key]: podGroupRef } } : {}),
  };
}

/** MASTER_PORT is the runtime's default, GANG_PORT (the port the Service names; a headless Service does not restrict ports). */
export function gangPodEnv(): EnvVar[] {
  return [
    { name: 'FLOWC_NODE_INDEX', value: `{{inputs.parameters.${NODE_PARAM}}}` },
    { name: 'FLOWC_MASTER_ADDR', value: `{{inputs.parameters.${SERVICE_PARAM}}}` },
  ];
}

/** The resource template that creates the headless Service of a gang step's node 0. */
export function buildServiceTemplate(step: StepIR, labels: Labels, withTaskParam: boolean): Template {
  const service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { generateName: generateNameOf(step), labels: { ...labels, 'flowc.dev/step': kubeName(step.name) } },
    spec: {
      clusterIP: 'None',
      publishNotReadyAddresses: true,
      selector: { 'workflows.argoproj.io/workflow': '{{workflow.name}}', 'flowc.dev/step': kubeName(step.name), 'flowc.dev/task': taskIdOf(withTaskParam), 'flowc.dev/node': '0' },
      ports: [{ name: 'rendezvous', port: GANG_PORT, targetPort: GANG_PORT }],
    },
  };
  return createTemplate(serviceTemplateName(step.name), service, SERVICE_PARAM, withTaskParam);
}

/** `generateName` of a gang's objects: the step's name, cut to leave room for the suffix. */
const generateNameOf = (step: StepIR): string => `${kubeName(step.name).slice(0, 40).replace(/-+$/, '')}-`;

/** A resource template creating `object` (owned by the workflow) and giving its name as output `output`. */
function createTemplate(name: string, object: object, output: string, withTaskParam: boolean): Template {
  const t: Template = {
    name,
    resource: { action: 'create', setOwnerReference: true, manifest: toYaml(object) },
    outputs: { parameters: [{ name: output, valueFrom: { jsonPath: '{.metadata.name}' } }] },
  };
  if (withTaskParam) t.inputs = { parameters: [{ name: TASK_PARAM }] };
  return t;
}

/** The resource template that creates the PodGroup of a gang step (`argo.gang`): all N pods or none. */
export function buildPodGroupTemplate(step: StepIR, labels: Labels, withTaskParam: boolean, gang: GangConfig): Template {
  const s = SCHEDULERS[gang.scheduler];
  const spec: Record<string, unknown> = { minMember: step.parallel!.nodes };
  if (gang.scheduler === 'volcano' && gang.queue !== undefined) spec.queue = gang.queue;
  if (gang.scheduler === 'coscheduling' && gang.timeoutSeconds !== undefined) spec.scheduleTimeoutSeconds = gang.timeoutSeconds;
  const podGroup = {
    apiVersion: s.apiVersion,
    kind: 'PodGroup',
    metadata: { generateName: generateNameOf(step), labels: { ...labels, 'flowc.dev/step': kubeName(step.name), 'flowc.dev/task': taskIdOf(withTaskParam) } },
    spec,
  };
  return createTemplate(podGroupTemplateName(step.name), podGroup, PODGROUP_PARAM, withTaskParam);
}

/**
 * The DAG tasks of a gang step: its Service (and with `argo.gang` its PodGroup), then the N pods (`task` is the
 * step's task as built for one pod).
 */
export function gangTasks(step: StepIR, task: DagTask, gang: GangConfig | undefined): DagTask[] {
  const nodes = step.parallel!.nodes;
  const before = (name: string): DagTask => ({
    name,
    template: name,
    ...(task.depends ? { depends: task.depends } : {}),
    ...(task.when ? { when: task.when } : {}),
    ...(task.arguments ? { arguments: task.arguments } : {}),
  });
  const service = before(serviceTemplateName(step.name));
  const group = gang ? before(podGroupTemplateName(step.name)) : undefined;
  const pods: DagTask = {
    ...task,
    depends: group ? `${service.name} && ${group.name}` : service.name,
    withSequence: { count: String(nodes) },
    arguments: {
      parameters: [
        ...(task.arguments?.parameters ?? []),
        { name: NODE_PARAM, value: '{{item}}' },
        { name: SERVICE_PARAM, value: `{{tasks.${service.name}.outputs.parameters.${SERVICE_PARAM}}}` },
        ...(group ? [{ name: PODGROUP_PARAM, value: `{{tasks.${group.name}.outputs.parameters.${PODGROUP_PARAM}}}` }] : []),
      ],
    },
  };
  return [service, ...(group ? [group] : []), pods];
}
