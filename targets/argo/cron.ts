/**
 * `@schedule` as a CronWorkflow. It starts the flow's WorkflowTemplate by reference (`workflowTemplateRef`), or,
 * when building a self-contained Workflow (`kind: workflow`), carries the same spec inline.
 * `concurrencyPolicy: Forbid`: a run still going when the next one is due makes that one skip, so a slow run is
 * never raced by the next.
 */
import type { BuildContext } from './context.ts';
import type { CronWorkflow, ObjectMeta, WorkflowSpec } from './manifest-types.ts';

export function buildCronWorkflow(ctx: BuildContext, meta: ObjectMeta, runSpec: WorkflowSpec): CronWorkflow | undefined {
  const schedule = ctx.ir.schedule;
  if (!schedule) return undefined;
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'CronWorkflow',
    metadata: meta,
    spec: {
      schedules: [schedule.cron],
      timezone: schedule.timezone,
      concurrencyPolicy: 'Forbid',
      // A run that could not start within an hour of its time (controller down) is skipped, not started late.
      startingDeadlineSeconds: 3600,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 5,
      workflowMetadata: { labels: { ...meta.labels } },
      workflowSpec: runSpec,
    },
  };
}
