/**
 * Names on the targets: flow and step names must become valid, distinct Kubernetes and AWS names after the
 * mangling of `names.ts`.
 *
 * Codes: name-collision, name-too-long.
 */
import { quoteList, type CheckContext } from '../context.ts';
import { argoFlowName, argoStepName, CRON_WORKFLOW_NAME_MAX, DNS_LABEL_MAX, JOB_DEFINITION_NAME_MAX, jobDefinitionName, STATE_MACHINE_NAME_MAX, stateMachineName } from '../names.ts';
import type { FlowModel } from '../resolve.ts';

export function checkTargetNames(flow: FlowModel, scheduled: boolean, ctx: CheckContext): void {
  const nameSpan = flow.decl.name?.span ?? flow.decl.span;
  if (flow.name) {
    const argo = argoFlowName(flow.name);
    const limit = scheduled ? CRON_WORKFLOW_NAME_MAX : DNS_LABEL_MAX;
    if (argo.length === 0) {
      ctx.report('name-too-long', nameSpan, `Flow name '${flow.name}' leaves no letters or digits for a Kubernetes name.`);
    } else if (argo.length > limit) {
      const what = scheduled ? 'an Argo CronWorkflow name' : 'an Argo WorkflowTemplate name';
      ctx.report('name-too-long', nameSpan, `Flow name '${flow.name}' becomes '${argo}' (${argo.length} characters), longer than the ${limit} allowed for ${what}.`);
    } else if (stateMachineName(flow.name).length > STATE_MACHINE_NAME_MAX) {
      ctx.report('name-too-long', nameSpan, `Flow name '${flow.name}' is longer than the ${STATE_MACHINE_NAME_MAX} characters allowed for a Step Functions state machine.`);
    }
  }
  const byLabel = new Map<string, string[]>();
  for (const step of flow.steps) {
    const label = argoStepName(step.name);
    const span = step.decl.name.span;
    if (label.length === 0) {
      ctx.report('name-too-long', span, `Step name '${step.name}' leaves no letters or digits for a Kubernetes name.`);
      continue;
    }
    if (label.length > DNS_LABEL_MAX) {
      ctx.report('name-too-long', span, `Step name '${step.name}' becomes '${label}' (${label.length} characters), longer than the ${DNS_LABEL_MAX} allowed for a Kubernetes name.`);
      continue;
    }
    if (flow.name && jobDefinitionName(flow.name, step.name).length > JOB_DEFINITION_NAME_MAX) {
      ctx.report('name-too-long', span, `Step name '${step.name}' makes the Batch job definition name longer than ${JOB_DEFINITION_NAME_MAX} characters.`);
      continue;
    }
    const same = byLabel.get(label);
    if (same) {
      const first = flow.stepByName.get(same[0])!;
      ctx.report('name-collision', span, `Step '${step.name}' becomes '${label}' on Kubernetes, like step ${quoteList(same)}; rename one of them.`, {
        related: [{ ...first.decl.name.span, message: `'${first.name}' also becomes '${label}'.` }],
      });
      same.push(step.name);
    } else byLabel.set(label, [step.name]);
  }
}
