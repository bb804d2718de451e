/**
 * `@trigger` as an Argo Events Sensor that submits a run of the flow when any of its events arrives, and
 * `@trigger_on_finish` as the same Sensor listening to an EventSource on the upstream flows' Workflows.
 *
 * An event named `source/name` listens to event `name` of EventSource `source`; a bare `name` listens to the
 * EventSource `flowc` (which the platform team creates, e.g. a webhook or an SQS queue).
 */
import { UPSTREAM_RUN_PARAM } from '../../compiler/resolve.ts';
import type { BuildContext } from './context.ts';
import type { EventSource, ObjectMeta, Sensor, WorkflowSpec } from './manifest-types.ts';
import { kubeName } from './names.ts';

const DEFAULT_EVENT_SOURCE = 'flowc';

/** The EventSource of `@trigger_on_finish`: one per flow, named `<flow>-upstream`. */
const upstreamSourceName = (ctx: BuildContext): string => `${ctx.flowName}-upstream`;

/**
 * `@trigger_on_finish` on Argo: an EventSource of type `resource` watching the Workflows of the upstream flows
 * (every run of a flow carries the label `flowc.dev/flow`, from its WorkflowTemplate's `workflowMetadata`) that
 * Argo has labelled `workflows.argoproj.io/phase: Succeeded`. The upstream manifests need nothing more.
 */
export function buildUpstreamEventSource(ctx: BuildContext, meta: ObjectMeta): EventSource | undefined {
  const upstream = ctx.ir.triggerOnFinish ?? [];
  if (upstream.length === 0) return undefined;
  const sa = ctx.options.config.argo?.serviceAccount;
  const resource: EventSource['spec']['resource'] = {};
  for (const flow of upstream) {
    resource[kubeName(flow)] = {
      ...(meta.namespace ? { namespace: meta.namespace } : {}),
      group: 'argoproj.io',
      version: 'v1alpha1',
      resource: 'workflows',
      eventTypes: ['UPDATE'],
      filter: {
        afterStart: true,
        labels: [
          { key: 'flowc.dev/flow', operation: '==', value: kubeName(flow) },
          { key: 'workflows.argoproj.io/phase', operation: '==', value: 'Succeeded' },
        ],
      },
    };
  }
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'EventSource',
    metadata: { ...meta, name: upstreamSourceName(ctx) },
    spec: { ...(sa ? { template: { serviceAccountName: sa } } : {}), resource },
  };
}

export function buildSensor(ctx: BuildContext, meta: ObjectMeta, runSpec: WorkflowSpec): Sensor | undefined {
  const upstream = ctx.ir.triggerOnFinish ?? [];
  if (ctx.ir.triggers.length === 0 && upstream.length === 0) return undefined;
  const deps: Sensor['spec']['dependencies'] = [];
  const used = new Set<string>();
  for (const t of ctx.ir.triggers) {
    const slash = t.event.indexOf('/');
    const eventSourceName = slash > 0 ? t.event.slice(0, slash) : DEFAULT_EVENT_SOURCE;
    const eventName = slash > 0 ? t.event.slice(slash + 1) : t.event;
    let name = kubeName(t.event);
    for (let i = 2; used.has(name); i++) name = `${kubeName(t.event)}-${i}`;
    used.add(name);
    deps.push({ name, eventSourceName, eventName });
  }
  const sa = ctx.options.config.argo?.serviceAccount;
  const workflow = (spec: WorkflowSpec) => ({
    resource: {
      apiVersion: 'argoproj.io/v1alpha1' as const,
      kind: 'Workflow' as const,
      metadata: { generateName: `${ctx.flowName}-`, ...(meta.namespace ? { namespace: meta.namespace } : {}), labels: { ...meta.labels } },
      spec,
    },
  });
  const triggers: Sensor['spec']['triggers'] = [];
  if (deps.length > 0) {
    triggers.push({ template: { name: ctx.flowName, conditions: deps.map((d) => d.name).join(' || '), argoWorkflow: { operation: 'submit', source: workflow(runSpec) } } });
  }
  // One trigger per upstream flow, so that `upstream_run` is the name of the run that succeeded.
  for (const flow of upstream) {
    let name = `finished-${kubeName(flow)}`;
    for (let i = 2; used.has(name); i++) name = `finished-${kubeName(flow)}-${i}`;
    used.add(name);
    deps.push({ name, eventSourceName: upstreamSourceName(ctx), eventName: kubeName(flow) });
    const parameters = (runSpec.arguments?.parameters ?? []).map((p) => (p.name === UPSTREAM_RUN_PARAM ? { name: p.name, value: '' } : p));
    let at = parameters.findIndex((p) => p.name === UPSTREAM_RUN_PARAM);
    if (at < 0) at = parameters.push({ name: UPSTREAM_RUN_PARAM, value: '' }) - 1;
    const spec: WorkflowSpec = { ...runSpec, arguments: { ...runSpec.arguments, parameters } };
    triggers.push({
      template: {
        name,
        conditions: name,
        argoWorkflow: {
          operation: 'submit',
          source: workflow(spec),
          parameters: [{ src: { dependencyName: name, dataKey: 'body.metadata.name' }, dest: `spec.arguments.parameters.${at}.value` }],
        },
      },
    });
  }
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Sensor',
    metadata: meta,
    spec: { ...(sa ? { template: { serviceAccountName: sa } } : {}), dependencies: deps, triggers },
  };
}
