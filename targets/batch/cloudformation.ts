/**
 * `--format cloudformation`: one template that deploys the job definitions, the state machine and the
 * schedule/trigger. Job definitions are the same objects as the JSON files with CloudFormation's PascalCase
 * property names; the state machine names them through `DefinitionSubstitutions` (`${JobDefinitionStart}` →
 * the job definition's ARN). Role ARNs missing from `flowc.yaml` become template parameters.
 */
import type { FlowcConfig } from '../../compiler/config-types.ts';
import type { FlowIR } from '../../compiler/ir.ts';
import type { StateMachineDefinition } from './asl.ts';
import type { JobDefinition } from './job-definition.ts';
import { logicalId } from './names.ts';
import type { ChildMachine } from './split.ts';
import { type ScheduleDefinition, type TriggerDefinition } from './schedule.ts';

export interface CloudFormationInput {
  ir: FlowIR;
  config: FlowcConfig;
  sourceFile: string;
  stateMachineName: string;
  definition: StateMachineDefinition;
  /** The child state machines of a state machine split to stay under 1 MB (targets/batch/split.ts). */
  children: ChildMachine[];
  jobDefinitions: { step: string; def: JobDefinition }[];
  schedule: ScheduleDefinition | null;
  /** Each rule with its event pattern as an object (CloudFormation takes it as JSON, not as a string). */
  triggers: { pattern: object; def: TriggerDefinition }[];
}

/** The substitution variable a Task uses for a step's job definition in the template. */
export const jobDefinitionVariable = (step: string): string => `\${${logicalId('JobDefinition', step)}}`;

type Template = Record<string, unknown>;

export function buildCloudFormation(input: CloudFormationInput): Template {
  const parameters: Record<string, unknown> = {};
  const resources: Record<string, unknown> = {};
  const roleParam = (name: string, description: string) => {
    parameters[name] = { Type: 'String', Description: description };
    return { Ref: name };
  };
  for (const { step, def } of input.jobDefinitions) {
    resources[logicalId('JobDefinition', step)] = { Type: 'AWS::Batch::JobDefinition', Properties: pascalCase(def) };
  }
  const topic = input.config.batch?.notify?.snsTopicArn;
  const roleArn =
    input.config.batch?.stateMachineRoleArn ??
    roleParam('StateMachineRoleArn', `The role Step Functions assumes to submit Batch jobs and read/write the S3 root${topic ? `, with sns:Publish on ${topic} (notifications)` : ''}.`);
  const stateMachine = (name: string, definition: StateMachineDefinition) => {
    // Only the job definitions this machine names (a split flow's machines each name a few).
    const used = new Set([...JSON.stringify(definition).matchAll(/\$\{([A-Za-z0-9]+)\}/g)].map((m) => m[1]));
    const substitutions: Record<string, unknown> = {};
    for (const { step } of input.jobDefinitions) {
      const id = logicalId('JobDefinition', step);
      if (used.has(id)) substitutions[id] = { Ref: id };
    }
    return {
      Type: 'AWS::StepFunctions::StateMachine',
      Properties: {
        StateMachineName: name,
        StateMachineType: 'STANDARD',
        RoleArn: roleArn,
        Definition: definition,
        ...(Object.keys(substitutions).length > 0 ? { DefinitionSubstitutions: substitutions } : {}),
        Tags: [
          { Key: 'flowc:flow', Value: input.ir.name },
          { Key: 'flowc:source', Value: input.sourceFile },
        ],
      },
    };
  };
  resources.StateMachine = stateMachine(input.stateMachineName, input.definition);
  input.children.forEach((c, i) => (resources[`StateMachinePart${i + 1}`] = stateMachine(c.name, c.definition)));
  if (input.schedule) {
    const s = input.schedule;
    resources.Schedule = {
      Type: 'AWS::Scheduler::Schedule',
      Properties: {
        Name: s.Name,
        Description: s.Description,
        ScheduleExpression: s.ScheduleExpression,
        ScheduleExpressionTimezone: s.ScheduleExpressionTimezone,
        FlexibleTimeWindow: s.FlexibleTimeWindow,
        Target: { Arn: { Ref: 'StateMachine' }, RoleArn: roleParam('SchedulerRoleArn', 'The role EventBridge Scheduler assumes to start the state machine.'), Input: s.Target.Input },
        State: s.State,
      },
    };
  }
  input.triggers.forEach(({ pattern, def }, i) => {
    resources[`Trigger${i + 1}`] = {
      Type: 'AWS::Events::Rule',
      Properties: {
        Name: def.Rule.Name,
        Description: def.Rule.Description,
        EventPattern: pattern,
        State: def.Rule.State,
        Targets: def.Targets.Targets.map((t) => ({
          Id: t.Id,
          Arn: { Ref: 'StateMachine' },
          RoleArn: roleParam('EventsRoleArn', 'The role EventBridge assumes to start the state machine.'),
          ...('InputPath' in t ? { InputPath: t.InputPath } : { InputTransformer: t.InputTransformer }),
        })),
      },
    };
  });
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `flowc: flow '${input.ir.name}' from ${input.sourceFile} on AWS Batch and Step Functions.`,
    ...(Object.keys(parameters).length > 0 ? { Parameters: parameters } : {}),
    Resources: resources,
    Outputs: { StateMachineArn: { Value: { Ref: 'StateMachine' } } },
  };
}

/** The Batch API's camelCase input as CloudFormation's PascalCase properties (tag maps keep their keys). */
function pascalCase(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) return value.map((v) => pascalCase(v));
  if (value === null || typeof value !== 'object' || key === 'tags') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k[0].toUpperCase() + k.slice(1)] = pascalCase(v, k);
  return out;
}
