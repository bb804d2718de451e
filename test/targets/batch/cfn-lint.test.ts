/**
 * The CloudFormation output checked by AWS's own linter, cfn-lint (its resource specification: property names and
 * types of `AWS::Batch::JobDefinition`, `AWS::StepFunctions::StateMachine`, `AWS::Events::Rule`, `AWS::IAM::Role`,
 * intrinsic functions, the state machine definition): every flow of the Metaflow corpus (graph shapes, multi-node
 * steps), and every sample (a schedule, triggers, secrets) with each setting that changes the template
 * (notifications, Fargate with logs, shared memory and swap without a given state machine role), in one cfn-lint run. Without cfn-lint on PATH (`pip install cfn-lint`), the test says so and
 * checks nothing.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { FlowcConfig } from '../../../compiler/config-types.ts';
import { repoRoot } from '../../helpers/golden.ts';
import { build, buildOk, CONFIG, irOf, SAMPLES } from './helpers.ts';

const cfnLint = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' });
const available = cfnLint.status === 0;

const NOTIFY: FlowcConfig = { ...CONFIG, batch: { ...CONFIG.batch, notify: { snsTopicArn: 'arn:aws:sns:eu-west-1:123456789012:flowc-runs', on: ['failure', 'success'] } } };
const FARGATE: FlowcConfig = {
  ...CONFIG,
  batch: { ...CONFIG.batch, platform: 'FARGATE', executionRoleArn: 'arn:aws:iam::123456789012:role/flowc-exec', logs: { driver: 'awslogs', options: { 'awslogs-group': '/flowc/jobs' } } },
};
const EC2_TUNED: FlowcConfig = { ...CONFIG, batch: { ...CONFIG.batch, sharedMemoryMiB: 8192, swapMiB: 4096, stateMachineRoleArn: undefined } };

test('every CloudFormation template flowc writes passes cfn-lint', async () => {
  if (!available) {
    console.log('  cfn-lint is not installed: the CloudFormation templates were not linted (pip install cfn-lint).');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'flowc-cfn-'));
  try {
    const flows: { name: string; text: string; file: string }[] = [
      ...SAMPLES.map((s) => ({ name: s, file: `samples/${s}.flow`, text: readFileSync(join(repoRoot, 'samples', `${s}.flow`), 'utf8') })),
      ...readdirSync(join(repoRoot, 'test', 'cases', 'metaflow'))
        .filter((f) => f.endsWith('.flow'))
        .map((f) => ({ name: `metaflow-${f.replace(/\.flow$/, '')}`, file: `test/cases/metaflow/${f}`, text: readFileSync(join(repoRoot, 'test', 'cases', 'metaflow', f), 'utf8') })),
    ];
    const variants: [string, FlowcConfig][] = [['', CONFIG], ['-notify', NOTIFY], ['-fargate', FARGATE], ['-ec2-tuned', EC2_TUNED]];
    const written: string[] = [];
    for (const flow of flows) {
      const ir = await irOf(flow.text, flow.file);
      // The settings' variants on the samples; the corpus (graph shapes) with the reference settings.
      for (const [suffix, config] of flow.file.startsWith('samples/') ? variants : variants.slice(0, 1)) {
        // Fargate has no GPUs, fixed vCPU/memory pairs and no multi-node jobs: a flow that asks for them is an error
        // there (batch-fargate-*), and is linted on EC2 only.
        const res = config === FARGATE ? build(ir, { config, format: 'cloudformation' }) : buildOk(ir, { config, format: 'cloudformation' });
        if (res.diagnostics.some((d) => d.severity === 'error')) {
          assert.ok(res.diagnostics.every((d) => d.severity !== 'error' || d.code.startsWith('batch-') && /fargate/.test(d.code)), res.diagnostics.map((d) => d.code).join());
          continue;
        }
        const path = join(dir, `${flow.name}${suffix}.json`);
        writeFileSync(path, res.files[0].content);
        written.push(path);
      }
    }
    assert.ok(written.length >= 28, `${written.length} templates`);
    const run = spawnSync('cfn-lint', ['--format', 'parseable', '--', ...written], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
    assert.is(run.status, 0, `cfn-lint found problems:\n${run.stdout}${run.stderr}`.slice(0, 4000));
    assert.is(run.stdout.trim(), '');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
