/**
 * The Batch target's rules on a flow, run by analysis (so `flowc check` and the editor show them) and again by
 * the build on the IR it is given: the state machine and job definition names AWS accepts (`names.ts`), and
 * `@resources` above `batch.limits`. Names the build alone knows (states, EventBridge rules) and sizes are
 * checked while building (`limits.ts`, `schedule.ts`).
 *
 * Codes: batch-name-invalid, resources-exceed-limits.
 */
import type { FlowcConfig } from '../../compiler/config-types.ts';
import type { Report } from '../../diagnostics/report.ts';
import type { TargetCheckFlow } from '../../compiler/target-check.ts';
import { checkResourceLimits } from '../limits.ts';
import { JOB_NAME, jobDefinitionName, STATE_MACHINE_NAME, stateMachineName } from './names.ts';

export function checkBatch(flow: TargetCheckFlow, config: FlowcConfig, report: Report): void {
  if (flow.name) {
    const name = stateMachineName(flow);
    if (!STATE_MACHINE_NAME.test(name)) {
      report('batch-name-invalid', flow.span, `The state machine name '${name}' must be 1 to 80 letters, digits, '-' or '_' (it has ${name.length} characters); shorten the flow or project name.`);
    }
    for (const step of flow.steps) {
      const job = jobDefinitionName(flow, step.name);
      if (!JOB_NAME.test(job)) {
        report('batch-name-invalid', step.span, `The job definition name '${job}' of step '${step.name}' must be 1 to 128 letters, digits, '-' or '_' starting with a letter or digit (it has ${job.length} characters).`);
      }
    }
  }
  for (const step of flow.steps) checkResourceLimits('batch', step, config.batch?.limits, report);
}
