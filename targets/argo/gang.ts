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
 * Pure: no IO.
 */
import type { StepIR } from '../../compiler/ir.ts';
import type { DagTask, EnvVar, Labels, Parameter, Template } from './manifest-types.ts';
import { kubeName, stepTemplateName } from './names.ts';
import { TASK_PARAM } from './pod.ts';
import { toYaml } from './yaml.ts';

/** The rank of a gang pod, and the name of its Service (inputs of a gang step's template). */
const NODE_PARAM = 'flowc-node';
const SERVICE_PARAM = 'flowc-service';
/** The port node 0 listens on (torch's default; every pod has its own address). */
const GANG_PORT = 29500;

const serviceTemplateName = (step: string): string => `${stepTemplateName(step)}-service`;

/** The task id of a step's pod: given by its caller in a foreach or a bounded loop (`withTaskParam`), else `0`. */
const taskIdOf = (withTaskParam: boolean): string => (withTaskParam ? `{{inputs.parameters.${TASK_PARAM}}}` : '0');

/** The labels a gang pod carries besides `flowc.dev/step`, so node 0's Service can select it. */
export function gangPodLabels(withTaskParam: boolean): Labels {
  return { 'flowc.dev/task': taskIdOf(withTaskParam), 'flowc.dev/node': `{{inputs.parameters.${NODE_PARAM}}}` };
}

/** What a gang pod adds to its template: the two inputs and the environment the runtime reads. */
export function gangPodInputs(): Parameter[] {
  return [{ name: NODE_PARAM }, { name: SERVICE_PARAM }];
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
    metadata: { generateName: `${kubeName(step.name).slice(0, 40).replace(/-+$/, '')}-`, labels: { ...labels, 'flowc.dev/step': kubeName(step.name) } },
    spec: {
      clusterIP: 'None',
      publishNotReadyAddresses: true,
      selector: { 'workflows.argoproj.io/workflow': '{{workflow.name}}', 'flowc.dev/step': kubeName(step.name), 'flowc.dev/task': taskIdOf(withTaskParam), 'flowc.dev/node': '0' },
      ports: [{ name: 'rendezvous', port: GANG_PORT, targetPort: GANG_PORT }],
    },
  };
  const t: Template = {
    name: serviceTemplateName(step.name),
    resource: { action: 'create', setOwnerReference: true, manifest: toYaml(service) },
    outputs: { parameters: [{ name: SERVICE_PARAM, valueFrom: { jsonPath: '{.metadata.name}' } }] },
  };
  if (withTaskParam) t.inputs = { parameters: [{ name: TASK_PARAM }] };
  return t;
}

/** The two DAG tasks of a gang step: its Service, then the N pods (`task` is the step's task as built for one pod). */
export function gangTasks(step: StepIR, task: DagTask): DagTask[] {
  const nodes = step.parallel!.nodes;
  const service: DagTask = { name: serviceTemplateName(step.name), template: serviceTemplateName(step.name) };
  if (task.depends) service.depends = task.depends;
  if (task.when) service.when = task.when;
  if (task.arguments) service.arguments = task.arguments;
  const pods: DagTask = {
    ...task,
    depends: service.name,
    withSequence: { count: String(nodes) },
    arguments: {
      parameters: [
        ...(task.arguments?.parameters ?? []),
        { name: NODE_PARAM, value: '{{item}}' },
        { name: SERVICE_PARAM, value: `{{tasks.${service.name}.outputs.parameters.${SERVICE_PARAM}}}` },
      ],
    },
  };
  return [service, pods];
}
