/**
 * State machines over Step Functions' 1 MB: split into child state machines (targets/batch/split.ts). Large
 * generated flows build with every machine under the limit and valid; the samples split with a tiny budget stay
 * valid; and a small flow split into children really runs in aws-local-stepfunctions (the local handler for
 * `states:startExecution.sync:2` in local-batch.ts stands in for Step Functions starting the child).
 */
import { createRequire } from 'node:module';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { generateFlow } from '../../../bench/gen.ts';
import type { FlowIR } from '../../../compiler/ir.ts';
import type { State, StateList, StateMachineDefinition } from '../../../targets/batch/asl.ts';
import { splitFlowStateMachine } from '../../../targets/batch/index.ts';
import type { JobDefinition } from '../../../targets/batch/job-definition.ts';
import { MAX_JOB_DEFINITION_BYTES, MAX_STATE_MACHINE_BYTES } from '../../../targets/batch/limits.ts';
import { parseS3Root } from '../../../targets/batch/store.ts';
import type { TargetResult } from '../../../targets/types.ts';
import { buildOk, CONFIG, file, irOf, SAMPLES, sampleIR } from './helpers.ts';
import { awsSuite, runBuilt, S3_ROOT, type BuiltFlow, type LocalAws } from './local-batch.ts';

const require = createRequire(import.meta.url);
const aslValidator = require('asl-validator') as (def: unknown) => { isValid: boolean; errorsText: (sep?: string) => string };

/** Every state name of a definition, nested scopes included. */
function stateNames(list: StateList): string[] {
  return Object.entries(list.States).flatMap(([name, state]: [string, State]) => [
    name,
    ...(state.Type === 'Parallel' ? state.Branches.flatMap(stateNames) : []),
    ...(state.Type === 'Map' ? stateNames(state.ItemProcessor) : []),
  ]);
}

/** The child state machines the launchers of a definition start (by the name in their ARN expression). */
function launched(list: StateList): string[] {
  return Object.values(list.States).flatMap((state: State) => [
    ...(state.Type === 'Task' && state.Resource === 'arn:aws:states:::states:startExecution.sync:2'
      ? [/stateMachine:([A-Za-z0-9_-]+)'/.exec(String(state.Parameters['StateMachineArn.$']))![1]]
      : []),
    ...(state.Type === 'Parallel' ? state.Branches.flatMap(launched) : []),
    ...(state.Type === 'Map' ? launched(state.ItemProcessor) : []),
  ]);
}

/**
 * Checks every machine: valid ASL (the first `validate` machines: the validator takes seconds per MB), unique state
 * names, under 1 MB as written, every launched child present.
 */
function checkMachines(machines: { name: string; definition: StateMachineDefinition; text?: string }[], where: string, validate = Infinity): void {
  const names = new Set(machines.map((m) => m.name));
  const started = new Set<string>();
  for (const [i, m] of machines.entries()) {
    if (i < validate) {
      const v = aslValidator(structuredClone(m.definition)); // it adds QueryLanguage to what it checks
      assert.ok(v.isValid, `${where} ${m.name}: ${v.errorsText()}`);
    }
    const states = stateNames(m.definition);
    assert.is(new Set(states).size, states.length, `${where} ${m.name}: state names repeat`);
    if (m.text !== undefined) assert.ok(Buffer.byteLength(m.text) < MAX_STATE_MACHINE_BYTES, `${where} ${m.name}: ${Buffer.byteLength(m.text)} bytes`);
    for (const child of launched(m.definition)) {
      assert.ok(names.has(child), `${where} ${m.name} starts '${child}', which was not emitted`);
      started.add(child);
    }
  }
  // Every child is started by exactly the machines above it, and none is left over.
  assert.equal([...started].sort(), machines.slice(1).map((m) => m.name).sort(), `${where}: children started`);
}

function machinesOf(res: TargetResult): { name: string; definition: StateMachineDefinition; text: string }[] {
  const root = file(res, 'statemachine.asl.json');
  const children = res.files.filter((f) => f.path.startsWith('statemachines/'));
  return [
    { name: 'Bench', definition: JSON.parse(root) as StateMachineDefinition, text: root },
    ...children.map((f) => ({ name: f.path.slice('statemachines/'.length, -'.asl.json'.length), definition: JSON.parse(f.content) as StateMachineDefinition, text: f.content })),
  ];
}

const bigIRs = new Map<string, FlowIR>();
const bigBuilds = new Map<string, TargetResult>();
async function bigBuild(kind: 'wide' | 'linear', n: number): Promise<TargetResult> {
  const key = `${kind}-${n}`;
  if (!bigBuilds.has(key)) bigBuilds.set(key, buildOk(await big(kind, n)));
  return bigBuilds.get(key)!;
}
async function big(kind: 'wide' | 'linear', n: number): Promise<FlowIR> {
  const key = `${kind}-${n}`;
  if (!bigIRs.has(key)) bigIRs.set(key, await irOf(generateFlow(kind, n), `${key}.flow`));
  return bigIRs.get(key)!;
}

test('a 1,000-way split builds: children of a few branches each, every machine under 1 MB and valid', async () => {
  const res = await bigBuild('wide', 1000);
  const machines = machinesOf(res);
  assert.ok(machines.length >= 3, `${machines.length} machines`);
  checkMachines(machines, 'wide-1000', 2);
  // The split's Parallel runs one launcher per child; every branch is in exactly one child.
  const branches = machines.flatMap((m) => stateNames(m.definition)).filter((n) => /^b\d+$/.test(n));
  assert.is(branches.length, 997);
  assert.is(new Set(branches).size, 997);
  // The stdout document holds the same children.
  const doc = JSON.parse(res.stdout) as BuiltFlow;
  assert.equal(doc.childStateMachines!.map((c) => c.name), machines.slice(1).map((m) => m.name));
  assert.equal(doc.childStateMachines![0].definition, machines[1].definition);
});

test('the join of a 1,000-way split has a job definition of constant size: its plan is by reference', async () => {
  const res = await bigBuild('wide', 1000);
  const join = file(res, 'jobdefs/join.json');
  const def = JSON.parse(join) as JobDefinition;
  const plan = def.containerProperties!.environment!.find((e) => e.name === 'FLOWC_PLAN')!.value!;
  assert.match(plan, /^sha256:[0-9a-f]{64}$/);
  assert.ok(Buffer.byteLength(JSON.stringify(def)) < MAX_JOB_DEFINITION_BYTES / 3, `${Buffer.byteLength(JSON.stringify(def))} bytes`);
  // No larger than a branch's, whose plan is inline.
  assert.ok(join.length <= file(res, 'jobdefs/b0.json').length + 200);
});

test('a 1,000-way split in CloudFormation: nested stacks, the child state machines in stacks of their own', async () => {
  // Every flow big enough to split is over one stack (1,005 resources here): the nested layout holds it.
  const ir = await big('wide', 1000);
  const res = buildOk(ir, { format: 'cloudformation' });
  const machines = res.files.filter((f) => f.path.includes('.statemachines-')).flatMap((f) => Object.keys((JSON.parse(f.content) as { Resources: object }).Resources));
  assert.equal(machines, ['StateMachine', ...buildOk(ir).files.filter((f) => f.path.startsWith('statemachines/')).map((_, i) => `StateMachinePart${i + 1}`)]);
  assert.ok(machines.length >= 3, machines.join());
});

test('a 3,000-step chain builds: the chain is cut between steps into children run one after another', async () => {
  const res = await bigBuild('linear', 3000);
  const machines = machinesOf(res);
  assert.ok(machines.length >= 3, `${machines.length} machines`);
  checkMachines(machines, 'linear-3000', 1);
  // The root keeps its first states (they read the execution's own name) and runs the children in order.
  const root = machines[0].definition;
  const order: string[] = [];
  for (let at: string | undefined = root.StartAt; at; ) {
    order.push(at);
    const state: State = root.States[at];
    at = 'Next' in state ? state.Next : undefined;
  }
  assert.equal(order.slice(0, 2), ['flowc.save-params', 'flowc.init']);
  assert.equal(
    order.filter((n) => n.startsWith('flowc.run-part-')),
    machines.slice(1).map((_, i) => `flowc.run-part-${i + 1}`),
  );
  // Every step's job is in exactly one machine.
  const steps = machines.flatMap((m) => stateNames(m.definition)).filter((n) => /^(s\d+|start|end)$/.test(n));
  assert.is(steps.length, 3000);
  assert.is(new Set(steps).size, 3000);
});

test('every sample, split with a tiny budget, stays valid: switches, loops and foreach iterations cut only where they may', async () => {
  for (const name of SAMPLES) {
    const ir = await sampleIR(name);
    const doc = JSON.parse(buildOk(ir).stdout) as BuiltFlow;
    for (const budget of [1500, 4000]) {
      const split = splitFlowStateMachine(ir, doc.stateMachine.definition, parseS3Root(CONFIG.datastore!)!, ir.source.file, budget);
      checkMachines([{ name: 'root', definition: split.root }, ...split.children], `${name} @${budget}`);
      // Deterministic: the same definition splits the same way.
      assert.equal(splitFlowStateMachine(ir, doc.stateMachine.definition, parseS3Root(CONFIG.datastore!)!, ir.source.file, budget), split);
    }
  }
});

const SPLIT_FLOW = `flow Parts {
  image "python:3.12-slim"
  step start {
    out x: int
    python "x = 1"
    next a, b, c
  }
  step a {
    in x: int
    out y: int
    python "y = x + 10"
    next join
  }
  step b {
    in x: int
    out y: int
    python "y = x + 20"
    next join
  }
  step c {
    in x: int
    out y: int
    python "y = x + 30"
    next join
  }
  step join {
    in y: [int]
    out ys: [int]
    python "ys = y"
    next twice foreach v in ys
  }
  step twice {
    in v: int
    out w: int
    python "w = v * 2"
    next gather
  }
  step gather {
    in w: [int]
    out total: int
    python "total = sum(w)"
    next end
  }
  step end {
    in total: int
  }
}
`;

const e2e = awsSuite('batch split e2e');

async function splitRun(aws: LocalAws, text: string, runId: string) {
  const ir = await irOf(text, 'parts.flow');
  const res = buildOk(ir, { config: { ...CONFIG, datastore: S3_ROOT } });
  const doc = JSON.parse(res.stdout) as BuiltFlow;
  assert.is(doc.childStateMachines, undefined, 'small enough not to be split by default');
  const split = splitFlowStateMachine(ir, doc.stateMachine.definition, parseS3Root(S3_ROOT)!, ir.source.file, 2500);
  assert.ok(split.children.length >= 3, `${split.children.length} children`);
  checkMachines([{ name: 'Parts', definition: split.root }, ...split.children], 'parts');
  return runBuilt(aws, ir.name, { stateMachine: { name: 'Parts', definition: split.root }, childStateMachines: split.children, jobDefinitions: doc.jobDefinitions }, {}, { runId });
}

e2e('a flow split into child state machines runs as one run: a split, a foreach and a chain across children', async ({ aws }) => {
  const r = await splitRun(aws, SPLIT_FLOW, 'parts-1');
  assert.is(r.status, 'SUCCEEDED', r.error);
  assert.ok(r.childRuns.length >= 3, r.childRuns.join(', '));
  assert.equal(await r.output('join', 'ys'), [11, 21, 31]);
  assert.is(await r.output('gather', 'total'), 126);
  assert.equal(r.submissions.map((s) => s.jobDefinition).filter((j) => j === 'Parts-twice').length, 3);
  assert.ok(await r.record('end'));
});

e2e('a job failing in a child state machine fails the run, and failure.json names it', async ({ aws }) => {
  const r = await splitRun(aws, SPLIT_FLOW.replace('python "y = x + 20"', 'python "raise SystemExit(3)"'), 'parts-2');
  assert.is(r.status, 'FAILED');
  const { readText } = await import('./local-batch.ts');
  const failure = JSON.parse((await readText(aws, 'store/runs/Parts/parts-2/failure.json')) ?? '{}') as { step?: string; run?: string };
  assert.is(failure.step, 'b');
  assert.is(failure.run, 'parts-2');
  assert.not.ok(r.submissions.some((s) => s.jobDefinition === 'Parts-twice'));
});

e2e('every S3 request of the split runs was signed as S3 wants', ({ aws }) => {
  assert.equal(aws.refused, []);
});

test.after(() => {
  bigBuilds.clear();
  bigIRs.clear();
});
test.run();
e2e.run();
