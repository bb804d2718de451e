/**
 * A stand-in for AWS that runs the Batch target's output on this machine, for the end-to-end tests:
 *
 * - S3 is a real S3-protocol server on loopback (`s3rver` behind a SigV4 check, test/helpers/s3.ts), which the
 *   task runtime in each job reaches through `AWS_ENDPOINT_URL_S3` with its credentials;
 * - the state machine runs in `aws-local-stepfunctions`, with every `batch:submitJob.sync` Task handled by
 *   running that job definition's command as a local process, with the definition's environment plus the
 *   submitted `ContainerOverrides`; a non-zero exit fails the Task, as a FAILED job does; a multi-node parallel
 *   job (`type: multinode`) runs `numNodes` processes of its node range's container with Batch's node variables
 *   (`AWS_BATCH_JOB_NODE_INDEX`, the main node's address 127.0.0.1 in the other nodes), the overrides of
 *   `NodeOverrides`, and as on Batch the main node's exit decides the job and stops the other nodes;
 * - the state machine's own S3 calls (putObject/getObject) go to s3rver through @aws-sdk/client-s3;
 * - `sns:publish` (notifications) is recorded in `published`, the message parsed; with `snsDown` it fails, as
 *   SNS answering an error would.
 *
 * The interpreter has no `ItemReader`, so each distributed Map is given a Task that reads the same S3 object
 * into the payload first (`ItemsPath`). The interpreter also removes every backslash from the text an intrinsic
 * function returns, which breaks what `States.JsonToString` makes of a string holding a newline or a quote (a
 * failure's cause), so a field `"X.$": "States.JsonToString(PATH)"` is given as `"X.$": "PATH"` and the handler
 * serializes it as Step Functions does (compact JSON). These two shims are the only changes made to the emitted
 * definition.
 * Nor does it know `states:startExecution.sync:2` (a large flow's parent starting a child state machine): a local
 * handler stands in for that one integration, as Step Functions does it: it finds the child by the ARN the Task
 * computed (the name after `:stateMachine:`), runs it with the given `Input` as a new execution (its own name and
 * `$$.StateMachine.Id`), waits, and returns `{ Status: "SUCCEEDED", Output }`, or fails the Task with
 * `States.TaskFailed` when the child fails.
 */
import { parseJson } from '../../../targets/protocol/json64.ts';
import { suite } from 'uvu';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { FlowIR } from '../../../compiler/ir.ts';
import type { JobDefinition } from '../../../targets/batch/job-definition.ts';
import type { StateMachineDefinition } from '../../../targets/batch/asl.ts';
import { buildOk, CONFIG } from './helpers.ts';
import { S3_CREDENTIALS_ENV, startS3 as startLocalS3 } from '../../helpers/s3.ts';

/** The directory of the real python3 (a version-manager shim costs about a second per start here). */
const pythonDir = (() => {
  const res = spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' });
  return res.status === 0 ? dirname(res.stdout.trim()) : null;
})();

export const BUCKET = 'flowc-e2e';
export const S3_ROOT = `s3://${BUCKET}/store`;

export interface LocalAws {
  endpoint: string;
  s3: S3Client;
  /** Requests the SigV4 check refused. */
  refused: string[];
  close: () => Promise<void>;
}

/** S3 on loopback with the bucket of these tests, signatures checked (test/helpers/s3.ts). */
export async function startS3(): Promise<LocalAws> {
  const s3 = await startLocalS3([BUCKET]);
  return { endpoint: s3.endpoint, s3: s3.client, refused: s3.refused, close: s3.close };
}

/** A uvu suite whose context holds `startS3()`'s server for its tests (as test/targets/argo/s3-suite.ts for Argo). */
export function awsSuite(name: string) {
  const s = suite<{ aws: LocalAws }>(name);
  s.before(async (ctx) => {
    ctx.aws = await startS3();
  });
  s.after(async (ctx) => {
    await ctx.aws?.close();
  });
  return s;
}

export async function readText(aws: LocalAws, key: string): Promise<string | null> {
  try {
    const res = await aws.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    return (await res.Body?.transformToString('utf8')) ?? null;
  } catch (e) {
    if ((e as { name?: string }).name === 'NoSuchKey') return null;
    throw e;
  }
}

export interface RunResult {
  runId: string;
  status: 'SUCCEEDED' | 'FAILED';
  error?: string;
  /** The child state machines the execution started, in order (a split state machine). */
  childRuns: string[];
  /** Every job submission, in order: the step's job definition name and the foreach path. */
  submissions: { jobDefinition: string; path: string; exitCode: number; stderr: string }[];
  /** Output `name` of a task (`path` as the engine names it: `t`, `t.2`, `tr1`), from its task record; null when absent. */
  output: (step: string, name: string, path?: string) => Promise<unknown>;
  /** The largest state input or output (JSON bytes) any state of the execution saw: what the engine stores per state. */
  maxPayloadBytes: number;
  /** Every `sns:publish` of the execution and its children, in order: the topic and the message, parsed. */
  published: { topic: string; message: Record<string, unknown> }[];
  /** The task record of a task (null when absent). */
  record: (step: string, path?: string) => Promise<Record<string, unknown> | null>;
}

export interface BuiltFlow {
  stateMachine: { name?: string; definition: StateMachineDefinition };
  childStateMachines?: { name: string; definition: StateMachineDefinition }[];
  jobDefinitions: JobDefinition[];
}

/** The ARN the local runs give a state machine (any account and region; the launchers derive their children's from it). */
const localArn = (name: string): string => `arn:aws:states:us-east-1:123456789012:stateMachine:${name}`;

/** Builds the flow for the datastore `S3_ROOT`, then runs it (see `runBuilt`). */
export async function runFlow(aws: LocalAws, ir: FlowIR, input: Record<string, unknown>, opts: RunOptions): Promise<RunResult> {
  const res = buildOk(ir, { config: { ...CONFIG, datastore: S3_ROOT } });
  return runBuilt(aws, ir.name, JSON.parse(res.stdout) as BuiltFlow, input, opts);
}

export interface RunOptions {
  runId: string;
  extraEnv?: Record<string, string>;
  /** `sns:publish` fails (with `SNS.InternalErrorException`). */
  snsDown?: boolean;
  /** The state machine's `putObject` of a key matching this fails (with `S3.InternalError`). */
  putFails?: RegExp;
}

/** Reads what `flowc build --target batch --out DIR` wrote. */
export function readBuilt(dir: string): BuiltFlow {
  const defs = readdirSync(join(dir, 'jobdefs')).sort().map((f) => JSON.parse(readFileSync(join(dir, 'jobdefs', f), 'utf8')) as JobDefinition);
  const children = existsSync(join(dir, 'statemachines'))
    ? readdirSync(join(dir, 'statemachines'))
        .sort()
        .map((f) => ({ name: f.replace(/\.asl\.json$/, ''), definition: JSON.parse(readFileSync(join(dir, 'statemachines', f), 'utf8')) as StateMachineDefinition }))
    : [];
  return {
    stateMachine: { definition: JSON.parse(readFileSync(join(dir, 'statemachine.asl.json'), 'utf8')) as StateMachineDefinition },
    ...(children.length > 0 ? { childStateMachines: children } : {}),
    jobDefinitions: defs,
  };
}

/** Runs a built flow's state machine with `input` as the execution input and execution name `runId`. */
export async function runBuilt(aws: LocalAws, flow: string, doc: BuiltFlow, input: Record<string, unknown>, opts: RunOptions): Promise<RunResult> {
  const jobDefs = new Map(doc.jobDefinitions.map((d) => [d.jobDefinitionName!, d]));
  const handlers: Record<string, (input: unknown) => Promise<unknown>> = {};
  const submissions: RunResult['submissions'] = [];
  const published: RunResult['published'] = [];
  const definition = shimJsonToString(shimItemReaders(structuredClone(doc.stateMachine.definition), aws, handlers));
  const children = new Map((doc.childStateMachines ?? []).map((c) => [c.name, shimJsonToString(shimItemReaders(structuredClone(c.definition), aws, handlers))]));
  const { StateMachine } = await import('aws-local-stepfunctions');
  /** Runs one state machine as an execution named `name`; rejects when it fails. */
  const execute = (def: StateMachineDefinition, machine: string, name: string, input: unknown) => {
    const execution = new StateMachine(def as never, { validationOptions: { checkArn: false } }).run(input as never, {
      overrides: { taskResourceLocalHandlers: handlers as never, retryIntervalOverrides },
      context: { Execution: { Name: name }, StateMachine: { Id: localArn(machine), Name: machine } },
    });
    return execution;
  };
  const childRuns: string[] = [];

  const visit = (states: Record<string, { Type: string; Resource?: string; Branches?: { States: Record<string, never> }[]; ItemProcessor?: { States: Record<string, never> } }>) => {
    for (const [name, state] of Object.entries(states)) {
      if (state.Type === 'Parallel') state.Branches!.forEach((b) => visit(b.States));
      if (state.Type === 'Map') visit(state.ItemProcessor!.States);
      if (state.Type !== 'Task' || handlers[name]) continue;
      if (state.Resource === 'arn:aws:states:::states:startExecution.sync:2') {
        handlers[name] = async (params) => {
          const p = params as { StateMachineArn: string; Input: unknown };
          const child = p.StateMachineArn.startsWith(localArn('')) ? p.StateMachineArn.slice(localArn('').length) : '';
          const def = children.get(child);
          if (!def) throw new Error(`No state machine '${p.StateMachineArn}'.`);
          childRuns.push(child);
          try {
            const output = await execute(def, child, `${opts.runId}-${childRuns.length}`, p.Input).result;
            return { Status: 'SUCCEEDED', StateMachineArn: p.StateMachineArn, Output: output };
          } catch (e) {
            const err = new Error(`Execution of '${child}' failed: ${String((e as Error).cause ?? e)}`);
            err.name = 'States.TaskFailed';
            throw err;
          }
        };
      } else if (state.Resource === 'arn:aws:states:::batch:submitJob.sync') {
        handlers[name] = async (params) => {
          type Overrides = { Environment: { Name: string; Value: string }[] };
          const p = params as { JobDefinition: string; ContainerOverrides?: Overrides; NodeOverrides?: { NodePropertyOverrides: { TargetNodes: string; ContainerOverrides: Overrides }[] } };
          const def = jobDefs.get(p.JobDefinition);
          if (!def) throw new Error(`No job definition '${p.JobDefinition}'.`);
          const multinode = def.type === 'multinode';
          // Batch refuses the other kind of overrides for each kind of job.
          if (multinode ? p.ContainerOverrides || !p.NodeOverrides : p.NodeOverrides || !p.ContainerOverrides) throw new Error(`Job '${p.JobDefinition}' (${def.type}) submitted with the wrong kind of overrides.`);
          const container = multinode ? def.nodeProperties!.nodeRangeProperties!.find((r) => r.targetNodes === '0:')!.container! : def.containerProperties!;
          const overrides = multinode ? p.NodeOverrides!.NodePropertyOverrides.find((o) => o.TargetNodes === '0:')!.ContainerOverrides : p.ContainerOverrides!;
          const env: Record<string, string> = {
            PATH: `${pythonDir ? `${pythonDir}:` : ''}${process.env.PATH ?? '/usr/bin:/bin'}`,
            AWS_ENDPOINT_URL_S3: aws.endpoint,
            ...S3_CREDENTIALS_ENV,
            ...opts.extraEnv,
          };
          for (const e of container.environment ?? []) env[e.name!] = e.value!;
          for (const e of overrides.Environment) env[e.Name] = e.Value;
          const [cmd, ...args] = container.command!;
          const { code, stderr } = multinode
            ? await runNodes(def.nodeProperties!.numNodes!, def.nodeProperties!.mainNode!, cmd, args, env, opts.extraEnv?.FLOWC_TEST_CWD)
            : await run(cmd, args, env, opts.extraEnv?.FLOWC_TEST_CWD);
          submissions.push({ jobDefinition: p.JobDefinition, path: env.FLOWC_TASK_ID, exitCode: code, stderr });
          if (process.env.FLOWC_TEST_DEBUG) process.stderr.write(`[${p.JobDefinition} ${env.FLOWC_TASK_ID}] exit ${code}\n${stderr}`);
          if (code !== 0) {
            const err = new Error(`Job '${p.JobDefinition}' failed with exit code ${code}: ${stderr.slice(-2000)}`);
            err.name = 'States.TaskFailed';
            throw err;
          }
          return { JobName: p.JobDefinition, Status: 'SUCCEEDED' };
        };
      } else if (state.Resource === 'arn:aws:states:::aws-sdk:s3:putObject') {
        handlers[name] = async (params) => {
          const p = params as { Bucket: string; Key: string; Body: unknown };
          if (opts.putFails?.test(p.Key)) throw Object.assign(new Error(`PutObject ${p.Key}: internal error`), { name: 'S3.InternalError' });
          const out = await aws.s3.send(new PutObjectCommand({ Bucket: p.Bucket, Key: p.Key, Body: serialized(p.Body) }));
          return { ETag: out.ETag ?? '' };
        };
      } else if (state.Resource === 'arn:aws:states:::sns:publish') {
        handlers[name] = async (params) => {
          const p = params as { TopicArn: string; Message: unknown };
          if (opts.snsDown) throw Object.assign(new Error('SNS is not answering'), { name: 'SNS.InternalErrorException' });
          published.push({ topic: p.TopicArn, message: JSON.parse(serialized(p.Message)) as Record<string, unknown> });
          return { MessageId: `message-${published.length}` };
        };
      } else if (state.Resource === 'arn:aws:states:::aws-sdk:s3:getObject') {
        handlers[name] = async (params) => {
          const p = params as { Bucket: string; Key: string };
          const out = await aws.s3.send(new GetObjectCommand({ Bucket: p.Bucket, Key: p.Key }));
          return { Body: await out.Body!.transformToString('utf8') };
        };
      }
    }
  };
  visit(definition.States as never);
  for (const def of children.values()) visit(def.States as never);

  const retryIntervalOverrides: Record<string, number> = {};
  for (const name of Object.keys(handlers)) retryIntervalOverrides[name] = 0;
  const execution = execute(definition, doc.stateMachine.name ?? flow, opts.runId, input);
  let status: RunResult['status'] = 'SUCCEEDED';
  let error: string | undefined;
  let maxPayloadBytes = 0;
  const logs = (async () => {
    for await (const ev of execution.eventLogs) {
      const e = ev as { type: string; state?: { input?: unknown; output?: unknown } };
      for (const v of [e.state?.input, e.state?.output]) if (v !== undefined) maxPayloadBytes = Math.max(maxPayloadBytes, Buffer.byteLength(JSON.stringify(v)));
    }
  })().catch(() => undefined);
  try {
    await execution.result;
  } catch (e) {
    status = 'FAILED';
    error = String((e as Error).cause ?? e);
  }
  await Promise.race([logs, new Promise((r) => setTimeout(r, 200))]);
  const base = `store/runs/${flow}/${opts.runId}`;
  return {
    runId: opts.runId,
    status,
    error,
    submissions,
    published,
    childRuns,
    maxPayloadBytes,
    record: async (step, path = 't') => {
      const rec = await readText(aws, `${base}/tasks/${step}/${taskOf(path)}.json`);
      return rec === null ? null : (JSON.parse(rec) as Record<string, unknown>);
    },
    output: async (step, name, path = 't') => {
      const task = taskOf(path);;
      const rec = await readText(aws, `${base}/tasks/${step}/${task}.json`);
      const meta = rec === null ? undefined : (parseJson(rec) as { outputs: Record<string, { value?: unknown; sha?: string }> }).outputs[name];
      if (!meta) return null;
      if (meta.value !== undefined) return meta.value;
      const text = await readText(aws, `store/objects/${meta.sha!.slice(0, 2)}/${meta.sha}`);
      return text === null ? null : parseJson(text);
    },
  };
}

/** The task id of a task path as the engine names it: `t` → `0`, `t.2` → `2`, `tr1` → `0r1` (a loop's iteration). */
const taskOf = (path: string): string => path.replace(/^t(?=r|$)/, '0').replace(/^t\./, '');

/** A field given as JSON text, or (`shimJsonToString`) as the value to serialize. */
const serialized = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));

/** Every `"X.$": "States.JsonToString(PATH)"` of a Task's parameters becomes `"X.$": "PATH"` (see the header). */
function shimJsonToString(def: StateMachineDefinition): StateMachineDefinition {
  const visit = (states: Record<string, unknown>) => {
    for (const raw of Object.values(states)) {
      const state = raw as { Type: string; Parameters?: Record<string, unknown>; Branches?: { States: Record<string, unknown> }[]; ItemProcessor?: { States: Record<string, unknown> } };
      state.Branches?.forEach((b) => visit(b.States));
      if (state.ItemProcessor) visit(state.ItemProcessor.States);
      if (state.Type !== 'Task' || !state.Parameters) continue;
      for (const [key, value] of Object.entries(state.Parameters)) {
        const m = typeof value === 'string' && key.endsWith('.$') ? /^States\.JsonToString\((\$[^()]*)\)$/.exec(value) : null;
        if (m) state.Parameters[key] = m[1];
      }
    }
  };
  visit(def.States as Record<string, unknown>);
  return def;
}

/** Replaces each Map's ItemReader by a Task (same name) that loads the items into `$.flowcItems`. */
function shimItemReaders(def: StateMachineDefinition, aws: LocalAws, handlers: Record<string, (input: unknown) => Promise<unknown>>): StateMachineDefinition {
  const visit = (states: Record<string, unknown>) => {
    for (const [name, raw] of Object.entries(states)) {
      const state = raw as Record<string, unknown>;
      if (state.Type === 'Parallel') (state.Branches as { States: Record<string, unknown> }[]).forEach((b) => visit(b.States));
      if (state.Type !== 'Map') continue;
      const processor = state.ItemProcessor as { States: Record<string, unknown>; ProcessorConfig?: unknown };
      visit(processor.States);
      const reader = state.ItemReader as { Parameters: Record<string, unknown> };
      delete state.ItemReader;
      delete processor.ProcessorConfig;
      state.ItemsPath = '$.flowcItems';
      const mapName = `${name} (map)`;
      const { Next, End, ...mapRest } = state as { Next?: string; End?: boolean };
      states[mapName] = { ...mapRest, ...(Next ? { Next } : { End }) };
      states[name] = { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:s3:getObject', Parameters: reader.Parameters, ResultPath: '$.flowcItems', Next: mapName };
      handlers[name] = async (params) => {
        const p = params as { Bucket: string; Key: string };
        const out = await aws.s3.send(new GetObjectCommand({ Bucket: p.Bucket, Key: p.Key }));
        return JSON.parse(await out.Body!.transformToString('utf8'));
      };
    }
  };
  visit(def.States as Record<string, unknown>);
  return def;
}

/**
 * A multi-node parallel job as Batch runs it: the main node first, then the others, each with its node index and
 * the job's size, the others with the main node's address; the job ends when the main node exits (its exit code
 * is the job's), and the other nodes are then stopped. stderr is every node's, main node first.
 */
async function runNodes(numNodes: number, mainNode: number, cmd: string, args: string[], env: Record<string, string>, cwd?: string): Promise<{ code: number; stderr: string }> {
  const nodeEnv = (i: number): Record<string, string> => ({
    ...env,
    AWS_BATCH_JOB_NODE_INDEX: String(i),
    AWS_BATCH_JOB_NUM_NODES: String(numNodes),
    AWS_BATCH_JOB_MAIN_NODE_INDEX: String(mainNode),
    AWS_BATCH_JOB_ATTEMPT: '1',
    ...(i === mainNode ? {} : { AWS_BATCH_JOB_MAIN_NODE_PRIVATE_IPV4_ADDRESS: '127.0.0.1' }),
  });
  const children: ReturnType<typeof spawn>[] = [];
  const running = run(cmd, args, nodeEnv(mainNode), cwd);
  const others = Array.from({ length: numNodes }, (_, i) => i)
    .filter((i) => i !== mainNode)
    .map((i) => run(cmd, args, nodeEnv(i), cwd, (c) => children.push(c)));
  const main = await running;
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  const rest = await Promise.all(others);
  return { code: main.code, stderr: [main.stderr, ...rest.map((r) => r.stderr)].join('') };
}

function run(cmd: string, args: string[], env: Record<string, string>, cwd?: string, started?: (child: ReturnType<typeof spawn>) => void): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    started?.(child);
    let stderr = '';
    child.stdout.resume();
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stderr }));
  });
}
