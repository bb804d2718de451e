/**
 * One Batch job definition per step that runs a container, as the exact input of `RegisterJobDefinition`.
 *
 * The command is `python3 -c LOADER <body argv>` (targets/runtime): the loader fetches the packed task runtime from
 * the datastore (`FLOWC_RUNTIME_SHA`), which reads inputs, runs the body argv that `targets/protocol` builds, and
 * stores outputs and the task record, so a task on Batch sees the same protocol and keeps the same records as
 * everywhere else. Everything fixed at compile time is in the definition (the plan, the datastore); only the run
 * id and the task path come with each submission.
 *
 * Retries split in two: the job definition's `retryStrategy` retries only infrastructure failures (a reclaimed
 * Spot host, a task that could not start), while `@retry` attempts run inside the job (the runtime retries the
 * body with the delay the author asked for, as local runs do). `@timeout` is enforced by the runtime per attempt;
 * the job's attempt timeout is only an outer bound over all attempts.
 */
import type { RegisterJobDefinitionCommandInput } from '@aws-sdk/client-batch';
import type { FlowcConfig } from '../../compiler/config-types.ts';
import type { FlowIR, SecretIR, StepIR } from '../../compiler/ir.ts';
import { taskCommand } from '../protocol/index.ts';
import { planVariable, runInfo, runtimeCommand, RUNTIME_ZIP_SHA256 } from '../runtime/index.ts';
import { jobDefinitionName } from './names.ts';
import type { Report } from '../../diagnostics/report.ts';
import { batchResources } from './resources.ts';
import type { S3Root } from './store.ts';

export type JobDefinition = RegisterJobDefinitionCommandInput;

/** Attempts for infrastructure failures (Batch allows 1-10). */
const INFRA_ATTEMPTS = 3;
const MIN_ATTEMPT_SECONDS = 60;
/** Time the runtime needs besides the body (loading inputs, storing outputs), added to the job's outer bound. */
const RUNTIME_MARGIN_SECONDS = 300;

/** Status reasons Batch reports when the infrastructure, not the step, failed. Everything else exits. */
const INFRA_FAILURES = ['Host EC2*', 'Task failed to start', 'ResourceInitializationError*'];

export interface JobDefinitionContext {
  ir: FlowIR;
  config: FlowcConfig;
  platform: 'EC2' | 'FARGATE';
  root: S3Root;
  sourceFile: string;
  report: Report;
}

export function buildJobDefinition(step: StepIR, ctx: JobDefinitionContext): JobDefinition {
  const { ir, config, platform, report } = ctx;
  const span = step.source.span;
  const batch = config.batch ?? {};
  const res = batchResources(step, platform, report);
  const command = taskCommand(step);
  const info = runInfo(ir, ctx.sourceFile);
  const plan = info.taskPlans.get(step.name)!;
  const image = step.image ?? config.image ?? null;
  if (image === null) report('batch-no-image', span, `Step '${step.name}' has no container image; set 'image' on the flow or the step, or in flowc.yaml.`);

  const environment: { name: string; value: string }[] = [
    { name: 'FLOWC_FLOW', value: ir.name },
    { name: 'FLOWC_STEP', value: step.name },
    { name: 'FLOWC_DATASTORE', value: `s3://${ctx.root.bucket}${ctx.root.prefix ? `/${ctx.root.prefix}` : ''}` },
    ...(batch.region ? [{ name: 'FLOWC_S3_REGION', value: batch.region }] : []),
    { name: 'FLOWC_ENGINE', value: 'aws-batch' },
    { name: 'FLOWC_RUNTIME_SHA', value: RUNTIME_ZIP_SHA256 },
    ...(plan.first ? [{ name: 'FLOWC_RUN_INFO', value: `sha256:${info.sha}` }] : []),
    ...(ir.project ? [{ name: 'FLOWC_PROJECT', value: ir.project }] : []),
    ...(plan.foreach || plan.switch ? [{ name: 'FLOWC_ROUTES', value: 'datastore' }] : []),
    { name: 'FLOWC_PLAN', value: planVariable(ir, step.name, ctx.sourceFile) },
    ...Object.entries(command.env).map(([name, value]) => ({ name, value })),
    ...step.env.map((e) => ({ name: e.name, value: e.value })),
  ];

  const resourceRequirements: { type: 'VCPU' | 'MEMORY' | 'GPU'; value: string }[] = [
    { type: 'VCPU', value: String(res.vcpu) },
    { type: 'MEMORY', value: String(res.memoryMiB) },
  ];
  if (res.gpu > 0) resourceRequirements.push({ type: 'GPU', value: String(res.gpu) });

  const secrets = step.secrets.flatMap((s) => {
    const secret = batchSecret(s, config);
    if (typeof secret === 'string') {
      report('batch-secret-unsupported', span, `Step '${step.name}': ${secret}`);
      return [];
    }
    return [secret];
  });

  // /dev/shm: the step's `@resources(shared_memory)`, else flowc.yaml's `batch.sharedMemory` (EC2 only).
  const shm = step.resources.sharedMemoryMiB ?? batch.sharedMemoryMiB;
  if (platform === 'FARGATE' && step.resources.sharedMemoryMiB !== undefined) {
    report('batch-linux-parameters-fargate', span, `Step '${step.name}' asks for shared_memory, which Fargate cannot give (it has no linuxParameters); the job definition leaves it out.`);
  }
  const containerProperties: NonNullable<JobDefinition['containerProperties']> = {
    image: image ?? '',
    command: runtimeCommand(command.argv),
    ...(batch.jobRoleArn ? { jobRoleArn: batch.jobRoleArn } : {}),
    ...(batch.executionRoleArn ? { executionRoleArn: batch.executionRoleArn } : {}),
    resourceRequirements,
    environment,
    ...(secrets.length > 0 ? { secrets } : {}),
    ...(platform === 'EC2' && (shm !== undefined || batch.swapMiB !== undefined)
      ? {
          linuxParameters: {
            ...(shm !== undefined ? { sharedMemorySize: Math.ceil(shm) } : {}),
            ...(batch.swapMiB !== undefined ? { maxSwap: Math.ceil(batch.swapMiB), swappiness: 60 } : {}),
          },
        }
      : {}),
    ...(batch.logs ? { logConfiguration: { logDriver: batch.logs.driver as 'awslogs', ...(batch.logs.options ? { options: batch.logs.options } : {}) } } : {}),
    ...(platform === 'FARGATE'
      ? {
          fargatePlatformConfiguration: { platformVersion: 'LATEST' },
          ...(res.ephemeralGiB !== null ? { ephemeralStorage: { sizeInGiB: res.ephemeralGiB } } : {}),
        }
      : {}),
  };
  if (step.parallel && platform === 'FARGATE') {
    report('batch-parallel-fargate', span, `Step '${step.name}' runs on ${step.parallel.nodes} nodes (@parallel), but multi-node parallel jobs need EC2; use 'batch.platform: EC2' in flowc.yaml.`);
  }
  const def: JobDefinition = {
    jobDefinitionName: jobDefinitionName(ir, step.name),
    // @parallel: one multi-node parallel job, every node the same container; the runtime reads the node's rank and the
    // main node's address from AWS_BATCH_JOB_NODE_INDEX and AWS_BATCH_JOB_MAIN_NODE_PRIVATE_IPV4_ADDRESS.
    ...(step.parallel
      ? {
          type: 'multinode' as const,
          platformCapabilities: [platform],
          nodeProperties: { numNodes: step.parallel.nodes, mainNode: 0, nodeRangeProperties: [{ targetNodes: '0:', container: containerProperties }] },
        }
      : { type: 'container' as const, platformCapabilities: [platform], containerProperties }),
    retryStrategy: {
      attempts: INFRA_ATTEMPTS,
      evaluateOnExit: [...INFRA_FAILURES.map((reason) => ({ onStatusReason: reason, action: 'RETRY' as const })), { onReason: '*', action: 'EXIT' as const }],
    },
    ...(step.timeoutSeconds !== null ? { timeout: { attemptDurationSeconds: attemptSeconds(step) } } : {}),
    propagateTags: true,
    tags: {
      'flowc:flow': ir.name,
      'flowc:step': step.name,
      ...(ir.project ? { 'flowc:project': ir.project } : {}),
      'flowc:source': ctx.sourceFile,
    },
  };
  return def;
}

/** The job's outer time bound: every `@retry` attempt at its `@timeout` (enforced by the runtime), the delays, a margin. */
function attemptSeconds(step: StepIR): number {
  const attempts = (step.retry?.times ?? 0) + 1;
  return (step.timeoutSeconds ?? MIN_ATTEMPT_SECONDS) * attempts + (step.retry?.delaySeconds ?? 0) * (attempts - 1) + RUNTIME_MARGIN_SECONDS;
}

/**
 * A secret as Batch's `{ name, valueFrom }`: the value comes from Secrets Manager (a name in the job's region,
 * or an ARN) or SSM Parameter Store (an ARN), never from the definition. A key of a JSON secret needs an ARN:
 * for a secret given by name, flowc builds its partial ARN from `batch.region` and the account and partition of
 * `batch.jobRoleArn` (the secret lives in the jobs' own account). Returns the reason as a sentence when it
 * cannot be expressed.
 */
function batchSecret(s: SecretIR, config: FlowcConfig): { name: string; valueFrom: string } | string {
  if (s.env === null) return `secret '${s.secret}' must be bound to one environment variable on Batch, e.g. @secrets(NAME: "${s.secret}").`;
  if (s.key === null) return { name: s.env, valueFrom: s.secret };
  if (s.secret.startsWith('arn:')) {
    if (!/^arn:[a-z-]+:secretsmanager:/.test(s.secret)) return `secret '${s.secret}' is not a Secrets Manager ARN, so key '${s.key}' cannot be selected.`;
    return { name: s.env, valueFrom: `${s.secret}:${s.key}::` };
  }
  const role = /^arn:([a-z-]+):iam::(\d{12}):/.exec(config.batch?.jobRoleArn ?? '');
  const region = config.batch?.region;
  if (!role || !region) {
    return `secret '${s.secret}' key '${s.key}' needs a Secrets Manager ARN on Batch; give the full ARN, or set 'batch.region' and 'batch.jobRoleArn' in flowc.yaml so flowc can build it.`;
  }
  return { name: s.env, valueFrom: `arn:${role[1]}:secretsmanager:${region}:${role[2]}:secret:${s.secret}:${s.key}::` };
}
