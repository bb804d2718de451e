/**
 * The CloudFormation output checked by AWS's own linter, cfn-lint (its resource specification: property names and
 * types of `AWS::Batch::JobDefinition`, `AWS::StepFunctions::StateMachine`, `AWS::Events::Rule`, `AWS::IAM::Role`,
 * intrinsic functions, the state machine definition): every flow of the Metaflow corpus (graph shapes, multi-node
 * steps), and every sample (a schedule, triggers, secrets) with each setting that changes the template
 * (notifications, Fargate with logs, shared memory and swap without a given state machine role), in one cfn-lint run;
 * and the nested stacks of a flow too large for one stack, linted and packaged by the AWS CLI into S3 on loopback.
 * Without cfn-lint or the AWS CLI on PATH, the test says so and checks nothing.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { FlowcConfig } from '../../../compiler/config-types.ts';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { parse as parseYaml } from 'yaml';
import { generateFlow } from '../../../bench/gen.ts';
import { repoRoot } from '../../helpers/golden.ts';
import { startS3 } from '../../helpers/s3.ts';
import { build, buildOk, CONFIG, irOf, SAMPLES } from './helpers.ts';

const available = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' }).status === 0;
const awsCli = spawnSync('aws', ['--version'], { encoding: 'utf8' }).status === 0;

const NOTIFY: FlowcConfig = { ...CONFIG, batch: { ...CONFIG.batch, notify: { snsTopicArn: 'arn:aws:sns:eu-west-1:123456789012:flowc-runs', on: ['failure', 'success'] } } };
const FARGATE: FlowcConfig = {
  ...CONFIG,
  batch: { ...CONFIG.batch, platform: 'FARGATE', executionRoleArn: 'arn:aws:iam::123456789012:role/flowc-exec', logs: { driver: 'awslogs', options: { 'awslogs-group': '/flowc/jobs' } } },
};
const EC2_TUNED: FlowcConfig = { ...CONFIG, batch: { ...CONFIG.batch, sharedMemoryMiB: 8192, swapMiB: 4096, stateMachineRoleArn: undefined } };

/** Runs cfn-lint once over `paths`: no finding but those of the `ignored` checks. */
function lint(paths: string[], ignored: string[] = []): void {
  const run = spawnSync('cfn-lint', ['--format', 'parseable', ...(ignored.length ? ['--ignore-checks', ...ignored] : []), '--', ...paths], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  assert.is(run.status, 0, `cfn-lint found problems:\n${run.stdout}${run.stderr}`.slice(0, 4000));
  assert.is(run.stdout.trim(), '');
}

const skipWithout = (tool: boolean, what: string): boolean => {
  if (!tool) console.log(`  ${what}`);
  return !tool;
};

test('every CloudFormation template flowc writes passes cfn-lint', async () => {
  if (skipWithout(available, 'cfn-lint is not installed: the CloudFormation templates were not linted (pip install cfn-lint).')) return;
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
    lint(written);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** A 140-step chain with a schedule, a trigger and notifications: over 1 MB, so nested stacks. */
async function nestedBuild(dir: string): Promise<string[]> {
  const text = `@schedule(daily)\n@trigger(event: "data-ready")\n${generateFlow('linear', 140)}`;
  const res = buildOk(await irOf(text, 'big.flow'), { config: { ...NOTIFY, batch: { ...NOTIFY.batch, stateMachineRoleArn: undefined } }, format: 'cloudformation' });
  assert.ok(res.files.length >= 3 && res.files.some((f) => f.path.includes('.jobdefs-')), res.files.map((f) => f.path).join());
  for (const f of res.files) writeFileSync(join(dir, f.path), f.content);
  return res.files.map((f) => f.path);
}

test('the nested stacks of a flow too large for one stack pass cfn-lint', async () => {
  if (skipWithout(available, 'cfn-lint is not installed: the nested templates were not linted (pip install cfn-lint).')) return;
  const dir = mkdtempSync(join(tmpdir(), 'flowc-cfn-nested-'));
  try {
    const files = await nestedBuild(dir);
    // W3002: a TemplateURL that is a local file works only through `aws cloudformation package` (the next test).
    lint(files.map((f) => join(dir, f)), ['W3002']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('aws cloudformation package uploads the nested templates (S3 on loopback) and points the parent at them', async () => {
  if (skipWithout(awsCli, 'the AWS CLI is not installed: nested stacks were not packaged.')) return;
  const dir = mkdtempSync(join(tmpdir(), 'flowc-cfn-package-'));
  const s3 = await startS3(['cfn-templates']);
  try {
    const [parent, ...nested] = await nestedBuild(dir);
    const out = join(dir, 'packaged.json');
    const args = ['cloudformation', 'package', '--template-file', join(dir, parent), '--s3-bucket', 'cfn-templates', '--output-template-file', out, '--use-json'];
    const env = { PATH: process.env.PATH, HOME: dir, ...s3.env, AWS_ENDPOINT_URL_S3: s3.endpoint };
    const run = await new Promise<{ code: number | null; output: string }>((done) => {
      // Asynchronous: the S3 server answers from this process.
      const child = spawn('aws', args, { env });
      let output = '';
      child.stdout.on('data', (d) => (output += d));
      child.stderr.on('data', (d) => (output += d));
      child.on('close', (code) => done({ code, output }));
    });
    assert.is(run.code, 0, run.output);
    const packaged = JSON.parse(readFileSync(out, 'utf8')) as { Resources: Record<string, { Type: string; Properties: { TemplateURL?: string } }> };
    const urls = Object.values(packaged.Resources).flatMap((r) => (r.Type === 'AWS::CloudFormation::Stack' ? [r.Properties.TemplateURL!] : []));
    assert.is(urls.length, nested.length);
    for (const [i, url] of urls.entries()) {
      assert.ok(url.startsWith(`${s3.endpoint}/cfn-templates/`), url);
      const object = await s3.client.send(new GetObjectCommand({ Bucket: 'cfn-templates', Key: url.slice(`${s3.endpoint}/cfn-templates/`.length) }));
      // The CLI uploads nested templates as YAML: the same template.
      assert.equal(parseYaml(await object.Body!.transformToString()), JSON.parse(readFileSync(join(dir, nested[i]), 'utf8')), nested[i]);
    }
    assert.equal(s3.refused, []);
  } finally {
    await s3.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
