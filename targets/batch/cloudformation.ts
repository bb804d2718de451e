/**
 * `--format cloudformation`: one template that deploys the job definitions, the state machine and the
 * schedule/trigger. Job definitions are the same objects as the JSON files with CloudFormation's PascalCase
 * property names; the state machine names them through `DefinitionSubstitutions` (`${JobDefinitionStart}` →
 * the job definition's ARN). Role ARNs missing from `flowc.yaml` become template parameters.
 * A flow too large for one stack gets the nested layout instead (`buildNestedCloudFormation`).
 */
import type { FlowcConfig } from '../../compiler/config-types.ts';
import type { FlowIR } from '../../compiler/ir.ts';
import type { StateMachineDefinition } from './asl.ts';
import type { JobDefinition } from './job-definition.ts';
import { logicalId } from './names.ts';
import { jsonBytes } from './serialize.ts';
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

/** How a state machine's `${JobDefinition...}` variables are filled: the ARN by `Ref` (one stack), or the name. */
type JobDefinitionValue = (id: string, def: JobDefinition) => unknown;

/** The pieces both layouts share: the role ARNs (literal or parameters), and the resources built from the input. */
function parts(input: CloudFormationInput) {
  const parameters: Record<string, unknown> = {};
  const roleParam = (name: string, description: string) => {
    parameters[name] = { Type: 'String', Description: description };
    return { Ref: name };
  };
  const topic = input.config.batch?.notify?.snsTopicArn;
  const roleArn: unknown =
    input.config.batch?.stateMachineRoleArn ??
    roleParam('StateMachineRoleArn', `The role Step Functions assumes to submit Batch jobs and read/write the S3 root${topic ? `, with sns:Publish on ${topic} (notifications)` : ''}.`);
  const defs = new Map(input.jobDefinitions.map(({ step, def }) => [logicalId('JobDefinition', step), def]));
  const stateMachine = (name: string, definition: StateMachineDefinition, role: unknown, value: JobDefinitionValue) => {
    // Only the job definitions this machine names (a split flow's machines each name a few).
    const used = new Set([...JSON.stringify(definition).matchAll(/\$\{([A-Za-z0-9]+)\}/g)].map((m) => m[1]));
    const substitutions: Record<string, unknown> = {};
    for (const [id, def] of defs) if (used.has(id)) substitutions[id] = value(id, def);
    return {
      Type: 'AWS::StepFunctions::StateMachine',
      Properties: {
        StateMachineName: name,
        StateMachineType: 'STANDARD',
        RoleArn: role,
        Definition: definition,
        ...(Object.keys(substitutions).length > 0 ? { DefinitionSubstitutions: substitutions } : {}),
        Tags: [
          { Key: 'flowc:flow', Value: input.ir.name },
          { Key: 'flowc:source', Value: input.sourceFile },
        ],
      },
    };
  };
  /** The schedule and the trigger rules, starting the state machine whose ARN is `arn`. */
  const starters = (arn: unknown): Record<string, unknown> => {
    const resources: Record<string, unknown> = {};
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
          Target: { Arn: arn, RoleArn: roleParam('SchedulerRoleArn', 'The role EventBridge Scheduler assumes to start the state machine.'), Input: s.Target.Input },
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
            Arn: arn,
            RoleArn: roleParam('EventsRoleArn', 'The role EventBridge assumes to start the state machine.'),
            ...('InputPath' in t ? { InputPath: t.InputPath } : { InputTransformer: t.InputTransformer }),
          })),
        },
      };
    });
    return resources;
  };
  const jobDefinition = (def: JobDefinition) => ({ Type: 'AWS::Batch::JobDefinition', Properties: pascalCase(def) });
  return { parameters, roleArn, defs, stateMachine, starters, jobDefinition };
}

/** The one-stack template: everything in one stack, the state machines naming their job definitions' ARNs. */
export function buildCloudFormation(input: CloudFormationInput): Template {
  const { parameters, roleArn, defs, stateMachine, starters, jobDefinition } = parts(input);
  const resources: Record<string, unknown> = {};
  for (const [id, def] of defs) resources[id] = jobDefinition(def);
  const byRef: JobDefinitionValue = (id) => ({ Ref: id });
  resources.StateMachine = stateMachine(input.stateMachineName, input.definition, roleArn, byRef);
  input.children.forEach((c, i) => (resources[`StateMachinePart${i + 1}`] = stateMachine(c.name, c.definition, roleArn, byRef)));
  Object.assign(resources, starters({ Ref: 'StateMachine' }));
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `flowc: flow '${input.ir.name}' from ${input.sourceFile} on AWS Batch and Step Functions.`,
    ...(Object.keys(parameters).length > 0 ? { Parameters: parameters } : {}),
    Resources: resources,
    Outputs: { StateMachineArn: { Value: { Ref: 'StateMachine' } } },
  };
}

/** One file of the nested layout: its path (beside the parent) and its template. */
interface TemplateFile {
  path: string;
  template: Template;
}

/** What a nested template may hold: bytes of its resources (compact JSON, under CloudFormation's 1 MB with room for the rest), and resources. */
const NESTED_BUDGET = { bytes: 900_000, resources: 450 };

/**
 * The nested layout, for a flow too large for one stack (docs/targets.md, "CloudFormation and large flows"): a
 * parent template (`<name>.cloudformation.json`) whose resources are `AWS::CloudFormation::Stack`s, the job
 * definitions in stacks `JobDefinitions1`, ... (`<name>.jobdefs-<n>.cloudformation.json`) and the state machines in
 * stacks `StateMachines1`, ... (`<name>.statemachines-<n>.cloudformation.json`), each packed to stay within
 * `NESTED_BUDGET`; the schedule and triggers stay in the parent, starting the root state machine by the ARN its stack
 * outputs. A state machine names its job definitions by name, not ARN (as the JSON output does: the latest active
 * revision runs), so no stack passes hundreds of ARNs to another (a stack has at most 200 parameters and outputs).
 * `TemplateURL` is the nested file's name: `aws cloudformation package` uploads it and writes its S3 URL. Nested
 * templates are compact JSON (they are read by CloudFormation, and compact leaves the most room).
 */
export function buildNestedCloudFormation(input: CloudFormationInput, baseName: string): TemplateFile[] {
  const { parameters, roleArn, defs, stateMachine, starters, jobDefinition } = parts(input);
  const file = (kind: string, n: number) => `${baseName}.${kind}-${n}.cloudformation.json`;
  const nested: { id: string; path: string; template: Template; parameters?: Record<string, unknown> }[] = [];
  const description = (what: string) => `flowc: ${what} of flow '${input.ir.name}' from ${input.sourceFile} (a stack nested in ${baseName}.cloudformation.json).`;

  // The job definitions, packed in order into stacks.
  const defGroups = pack([...defs].map(([id, def]) => [id, jobDefinition(def)] as const));
  defGroups.forEach((group, i) => {
    nested.push({
      id: `JobDefinitions${i + 1}`,
      path: file('jobdefs', i + 1),
      template: { AWSTemplateFormatVersion: '2010-09-09', Description: description(`job definitions, part ${i + 1} of ${defGroups.length}`), Resources: Object.fromEntries(group) },
    });
  });

  // The state machines: the root first (its stack outputs its ARN), then the children.
  const roleIsParam = typeof roleArn === 'object';
  const role = roleIsParam ? { Ref: 'StateMachineRoleArn' } : roleArn;
  const byName: JobDefinitionValue = (_id, def) => def.jobDefinitionName;
  const machines = [
    ['StateMachine', stateMachine(input.stateMachineName, input.definition, role, byName)] as const,
    ...input.children.map((c, i) => [`StateMachinePart${i + 1}`, stateMachine(c.name, c.definition, role, byName)] as const),
  ];
  const machineGroups = pack(machines);
  machineGroups.forEach((group, i) => {
    const resources = Object.fromEntries(group);
    nested.push({
      id: `StateMachines${i + 1}`,
      path: file('statemachines', i + 1),
      template: {
        AWSTemplateFormatVersion: '2010-09-09',
        Description: description(`state machines, part ${i + 1} of ${machineGroups.length}`),
        ...(roleIsParam ? { Parameters: { StateMachineRoleArn: { Type: 'String', Description: 'The role Step Functions assumes (the parent stack passes its own parameter).' } } } : {}),
        Resources: resources,
        ...('StateMachine' in resources ? { Outputs: { StateMachineArn: { Value: { Ref: 'StateMachine' } } } } : {}),
      },
      ...(roleIsParam ? { parameters: { StateMachineRoleArn: roleArn } } : {}),
    });
  });

  const rootArn = { 'Fn::GetAtt': [nested.find((n) => 'StateMachine' in (n.template.Resources as object))!.id, 'Outputs.StateMachineArn'] };
  const resources: Record<string, unknown> = {};
  for (const n of nested) {
    resources[n.id] = { Type: 'AWS::CloudFormation::Stack', Properties: { TemplateURL: n.path, ...(n.parameters ? { Parameters: n.parameters } : {}) } };
  }
  Object.assign(resources, starters(rootArn));
  const parent: Template = {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `flowc: flow '${input.ir.name}' from ${input.sourceFile} on AWS Batch and Step Functions, in nested stacks (package with 'aws cloudformation package' before deploying).`,
    ...(Object.keys(parameters).length > 0 ? { Parameters: parameters } : {}),
    Resources: resources,
    Outputs: { StateMachineArn: { Value: rootArn } },
  };
  return [{ path: `${baseName}.cloudformation.json`, template: parent }, ...nested.map((n) => ({ path: n.path, template: n.template }))];
}

/** Resources packed in order into groups within `NESTED_BUDGET` (a resource alone over it gets a group of its own; the size check names it). */
function pack<T>(resources: readonly (readonly [string, T])[]): (readonly [string, T])[][] {
  const groups: (readonly [string, T])[][] = [];
  let bytes = Infinity;
  for (const r of resources) {
    const size = jsonBytes(r[1]) + r[0].length + 4;
    const last = groups[groups.length - 1];
    if (!last || bytes + size > NESTED_BUDGET.bytes || last.length >= NESTED_BUDGET.resources) {
      groups.push([r]);
      bytes = size;
    } else {
      last.push(r);
      bytes += size;
    }
  }
  return groups;
}

/** The Batch API's camelCase input as CloudFormation's PascalCase properties (tag maps keep their keys). */
function pascalCase(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) return value.map((v) => pascalCase(v));
  if (value === null || typeof value !== 'object' || key === 'tags') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k[0].toUpperCase() + k.slice(1)] = pascalCase(v, k);
  return out;
}
