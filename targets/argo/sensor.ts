/**
 * `@trigger` as an Argo Events Sensor that submits a run of the flow when any of its events arrives.
 *
 * An event named `source/name` listens to event `name` of EventSource `source`; a bare `name` listens to the
 * EventSource `flowc` (which the platform team creates, e.g. a webhook or an SQS queue).
 */
import type { BuildContext } from './context.ts';
import type { ObjectMeta, Sensor, WorkflowSpec } from './manifest-types.ts';
import { kubeName } from './names.ts';

export const DEFAULT_EVENT_SOURCE = 'flowc';

export function buildSensor(ctx: BuildContext, meta: ObjectMeta, runSpec: WorkflowSpec): Sensor | undefined {
  if (ctx.ir.triggers.length === 0) return undefined;
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
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Sensor',
    metadata: meta,
    spec: {
      ...(sa ? { template: { serviceAccountName: sa } } : {}),
      dependencies: deps,
      triggers: [
        {
          template: {
            name: ctx.flowName,
            conditions: deps.map((d) => d.name).join(' || '),
            argoWorkflow: {
              operation: 'submit',
              source: {
                resource: {
                  apiVersion: 'argoproj.io/v1alpha1',
                  kind: 'Workflow',
                  metadata: { generateName: `${ctx.flowName}-`, ...(meta.namespace ? { namespace: meta.namespace } : {}), labels: { ...meta.labels } },
                  spec: runSpec,
                },
              },
            },
          },
        },
      ],
    },
  };
}
