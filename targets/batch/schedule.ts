/**
 * `@schedule` and `@trigger` on AWS: an EventBridge Scheduler schedule (the input of `CreateSchedule`) and, per
 * trigger, an EventBridge rule with its target (the inputs of `PutRule` and `PutTargets`).
 *
 * The state machine's ARN and the roles EventBridge assumes to start it are not known at compile time; the JSON
 * files carry the placeholders `${StateMachineArn}`, `${SchedulerRoleArn}` and `${EventsRoleArn}` (replace them
 * when deploying), and the CloudFormation template wires them with `Ref`.
 *
 * A trigger matches events with source `flowc` and detail-type the event's name; the event's `detail` becomes the
 * execution input, so it carries the parameter values.
 */
import type { FlowIR, ScheduleIR } from '../../compiler/ir.ts';
import type { Report } from '../../diagnostics/report.ts';
import { UPSTREAM_RUN_PARAM } from '../../compiler/resolve.ts';
import { stateMachineName } from './names.ts';

const PLACEHOLDERS = {
  stateMachineArn: '${StateMachineArn}',
  schedulerRoleArn: '${SchedulerRoleArn}',
  eventsRoleArn: '${EventsRoleArn}',
} as const;

const EVENT_SOURCE = 'flowc';
const EVENTBRIDGE_NAME = /^[A-Za-z0-9._-]{1,64}$/;

export interface ScheduleDefinition {
  Name: string;
  Description: string;
  ScheduleExpression: string;
  ScheduleExpressionTimezone: string;
  FlexibleTimeWindow: { Mode: 'OFF' };
  Target: { Arn: string; RoleArn: string; Input: string };
  State: 'ENABLED';
}

export interface TriggerDefinition {
  Rule: { Name: string; Description: string; EventPattern: string; State: 'ENABLED' };
  Targets: { Rule: string; Targets: TriggerTarget[] };
}

/** A rule's target: the event's `detail` as the execution input, or (for `@trigger_on_finish`) a transformed input. */
export type TriggerTarget = { Id: string; Arn: string; RoleArn: string } & (
  | { InputPath: string }
  | { InputTransformer: { InputPathsMap: Record<string, string>; InputTemplate: string } }
);

export function buildSchedule(ir: FlowIR, schedule: ScheduleIR, name: string, report: Report): ScheduleDefinition | null {
  const expression = awsCron(schedule.cron);
  if (typeof expression !== 'string') {
    report('batch-cron-unsupported', ir.source.span, `The schedule '${schedule.cron}' of flow '${ir.name}' cannot run on EventBridge: ${expression.reason}`);
    return null;
  }
  checkEventBridgeName(ir, name, 'schedule', report);
  return {
    Name: name,
    Description: `flowc: runs flow '${ir.name}' on '${schedule.cron}' (${schedule.timezone}).`,
    ScheduleExpression: expression,
    ScheduleExpressionTimezone: schedule.timezone,
    FlexibleTimeWindow: { Mode: 'OFF' },
    Target: { Arn: PLACEHOLDERS.stateMachineArn, RoleArn: PLACEHOLDERS.schedulerRoleArn, Input: '{}' },
    State: 'ENABLED',
  };
}

export function buildTrigger(ir: FlowIR, event: string, stateMachine: string, report: Report): TriggerDefinition {
  const name = `${stateMachine}-${event.replace(/[^A-Za-z0-9._-]/g, '_')}`;
  checkEventBridgeName(ir, name, 'rule', report);
  return {
    Rule: {
      Name: name,
      Description: `flowc: starts flow '${ir.name}' on event '${event}'.`,
      EventPattern: JSON.stringify(triggerPattern(event)),
      State: 'ENABLED',
    },
    Targets: { Rule: name, Targets: [{ Id: 'flowc-state-machine', Arn: PLACEHOLDERS.stateMachineArn, RoleArn: PLACEHOLDERS.eventsRoleArn, InputPath: '$.detail' }] },
  };
}

export const triggerPattern = (event: string) => ({ source: [EVENT_SOURCE], 'detail-type': [event] });

/**
 * `@trigger_on_finish(flow: "Up")` on AWS: a rule on Step Functions' own event for an execution of the upstream
 * state machine (named as the Batch target names it, with this flow's `@project`) that SUCCEEDED; the target
 * starts this flow with `{"upstream_run": <the upstream execution's name>}` (the run id) as its input.
 */
export function buildFinishTrigger(ir: FlowIR, upstream: string, stateMachine: string, report: Report): TriggerDefinition {
  const name = `${stateMachine}-after-${upstream}`;
  checkEventBridgeName(ir, name, 'rule', report);
  return {
    Rule: {
      Name: name,
      Description: `flowc: starts flow '${ir.name}' when a run of flow '${upstream}' succeeds.`,
      EventPattern: JSON.stringify(finishPattern(stateMachineName({ name: upstream, project: ir.project }))),
      State: 'ENABLED',
    },
    Targets: {
      Rule: name,
      Targets: [
        {
          Id: 'flowc-state-machine',
          Arn: PLACEHOLDERS.stateMachineArn,
          RoleArn: PLACEHOLDERS.eventsRoleArn,
          InputTransformer: { InputPathsMap: { run: '$.detail.name' }, InputTemplate: `{"${UPSTREAM_RUN_PARAM}": <run>}` },
        },
      ],
    },
  };
}

export const finishPattern = (upstreamStateMachine: string) => ({
  source: ['aws.states'],
  'detail-type': ['Step Functions Execution Status Change'],
  detail: { status: ['SUCCEEDED'], stateMachineArn: [{ wildcard: `arn:aws:states:*:*:stateMachine:${upstreamStateMachine}` }] },
});

function checkEventBridgeName(ir: FlowIR, name: string, what: string, report: Report): void {
  if (!EVENTBRIDGE_NAME.test(name)) {
    report('batch-name-invalid', ir.source.span, `The EventBridge ${what} name '${name}' must be 1 to 64 letters, digits, '.', '-' or '_'; shorten the flow or project name.`);
  }
}

/**
 * A five-field cron (`m h dom mon dow`, day of week 0-7 with 0 and 7 Sunday) as EventBridge's six-field
 * `cron(m h dom mon dow year)`, where one of the day fields must be `?` and days of the week are 1-7 from Sunday.
 */
export function awsCron(cron: string): string | { reason: string } {
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== 5) return { reason: 'it must have five fields.' };
  let [minute, hour, dom, month, dow] = fields;
  if (dom !== '*' && dom !== '?' && dow !== '*' && dow !== '?') {
    return { reason: 'EventBridge cannot restrict both the day of the month and the day of the week; keep one of them "*".' };
  }
  if (dow === '*' || dow === '?') dow = '?';
  else {
    dom = '?';
    dow = dow
      .split(',')
      .map((item) => {
        const [rangePart, step] = item.split('/');
        const mapped = rangePart.replace(/\d+/g, (d) => String((Number(d) % 7) + 1));
        return step === undefined ? mapped : `${mapped}/${step}`;
      })
      .join(',');
  }
  return `cron(${minute} ${hour} ${dom} ${month} ${dow} *)`;
}
