/**
 * Argo's rules on a flow, run by analysis (so `flowc check` and the editor show them) and again by the build on
 * the IR it is given: Kubernetes names that are empty, too long or collide after mangling (`names.ts`), and
 * `@resources` above `argo.limits`.
 *
 * Codes: name-too-long, name-collision, resources-exceed-limits.
 */
import type { FlowcConfig } from '../../compiler/config-types.ts';
import { quoteList } from '../../compiler/context.ts';
import type { Report } from '../../diagnostics/report.ts';
import type { TargetCheckFlow } from '../../compiler/target-check.ts';
import type { Span } from '../../diagnostics/types.ts';
import { checkResourceLimits } from '../limits.ts';
import { bodyTemplateName, ENTRYPOINT, EXIT_HANDLER, kubeName, NOTIFY_EXIT_DAG, loopTemplateName, MAX_CRON_NAME, MAX_NAME, stepTemplateName, workersTemplateName } from './names.ts';

const upper = (text: string): string => text[0].toUpperCase() + text.slice(1);

export function checkArgo(flow: TargetCheckFlow, config: FlowcConfig, report: Report): void {
  if (flow.name) {
    const name = kubeName(flow.name);
    const limit = flow.scheduled ? MAX_CRON_NAME : MAX_NAME;
    if (name.length === 0) {
      report('name-too-long', flow.span, `Flow name '${flow.name}' leaves no letters or digits for a Kubernetes name.`);
    } else if (name.length > limit) {
      const what = flow.scheduled ? 'an Argo CronWorkflow name' : 'an Argo WorkflowTemplate name';
      report('name-too-long', flow.span, `Flow name '${flow.name}' becomes '${name}' (${name.length} characters), longer than the ${limit} allowed for ${what}.`);
    }
  }

  // Template names share one namespace (DAG tasks are named like their templates).
  const owners = new Map<string, { what: string; span: Span; steps: string[] }>([
    [ENTRYPOINT, { what: 'the entrypoint DAG', span: flow.span, steps: [] }],
    [EXIT_HANDLER, { what: 'the exit handler', span: flow.span, steps: [] }],
    ...(config.argo?.notify ? [[NOTIFY_EXIT_DAG, { what: "the exit handler's DAG (argo.notify)", span: flow.span, steps: [] as string[] }] as const] : []),
  ]);
  const claim = (name: string, what: string, span: Span, step?: string) => {
    const prior = owners.get(name);
    if (!prior) {
      owners.set(name, { what, span, steps: step ? [step] : [] });
    } else if (step && prior.steps.length > 0) {
      report('name-collision', span, `Step '${step}' becomes '${name}' on Kubernetes, like step ${quoteList(prior.steps)}; rename one of them.`, {
        related: [{ ...prior.span, message: `'${prior.steps[0]}' also becomes '${name}'.` }],
      });
      prior.steps.push(step);
    } else {
      report('name-collision', span, `${upper(what)} becomes the Argo name '${name}', which ${prior.what} already has.`, {
        related: [{ ...prior.span, message: `${upper(prior.what)} is named '${name}' here.` }],
      });
    }
  };
  for (const step of flow.steps) {
    const label = stepTemplateName(step.name);
    if (label.length === 0) {
      report('name-too-long', step.span, `Step name '${step.name}' leaves no letters or digits for a Kubernetes name.`);
      continue;
    }
    if (label.length > MAX_NAME) {
      report('name-too-long', step.span, `Step name '${step.name}' becomes '${label}' (${label.length} characters), longer than the ${MAX_NAME} allowed for a Kubernetes name.`);
      continue;
    }
    claim(label, `step '${step.name}'`, step.span, step.name);
    if (step.foreach) {
      const parts: [string, string][] = [[bodyTemplateName(step.name), 'foreach body']];
      if (step.maxWorkers !== undefined) parts.push([workersTemplateName(step.name), 'bounded fan-out (@max_workers)']);
      for (const [name, what] of parts) {
        if (name.length > MAX_NAME) {
          report('name-too-long', step.span, `The ${what} of step '${step.name}' becomes the Argo name '${name}', which is longer than ${MAX_NAME} characters.`);
        } else claim(name, `the ${what} of step '${step.name}'`, step.span);
      }
    }
    if (step.loop) {
      const loop = loopTemplateName(step.name);
      if (loop.length > MAX_NAME) {
        report('name-too-long', step.span, `The loop of step '${step.name}' becomes the Argo name '${loop}', which is longer than ${MAX_NAME} characters.`);
      } else claim(loop, `the loop of step '${step.name}'`, step.span);
    }
  }

  for (const step of flow.steps) checkResourceLimits('argo', step, config.argo?.limits, report);
}
