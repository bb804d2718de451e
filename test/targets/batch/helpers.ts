/**
 * Shared helpers of the Batch target tests: the IR of a sample (built from source by analyze → lower), the
 * reference `flowc.yaml` settings, and a build that fails the test on errors.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../../compiler/analyze.ts';
import { lower } from '../../../compiler/lower.ts';
import type { FlowcConfig } from '../../../compiler/config-types.ts';
import type { FlowIR } from '../../../compiler/ir.ts';
import { buildBatch } from '../../../targets/batch/index.ts';
import type { TargetOptions, TargetResult } from '../../../targets/types.ts';
import { repoRoot } from '../../helpers/golden.ts';

export const SAMPLES = ['branches', 'genres', 'switch', 'train'];

export const CONFIG: FlowcConfig = {
  image: 'python:3.12-slim',
  datastore: 's3://ml-artifacts/flowc',
  batch: {
    jobQueue: 'ml-default',
    jobRoleArn: 'arn:aws:iam::123456789012:role/flowc-job',
    stateMachineRoleArn: 'arn:aws:iam::123456789012:role/flowc-sfn',
    platform: 'EC2',
    region: 'eu-west-1',
    limits: { cpu: 96, memoryMiB: 786432, gpu: 8 },
  },
};

/** The IR of flow source `text`; fails on errors. */
export async function irOf(text: string, file = 'test.flow', config: FlowcConfig = CONFIG): Promise<FlowIR> {
  const analysis = analyze(text, { file, config });
  const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(`${file}: ${errors.map((d) => `${d.code}: ${d.message}`).join('\n')}`);
  return lower(analysis)[0];
}

/** The IR of a sample, built from `samples/<name>.flow`. */
export const sampleIR = async (name: string): Promise<FlowIR> => irOf(readFileSync(join(repoRoot, 'samples', `${name}.flow`), 'utf8'), `samples/${name}.flow`);

export function build(ir: FlowIR, options: Partial<TargetOptions> = {}): TargetResult {
  return buildBatch(ir, { config: CONFIG, sourceFile: ir.source.file, ...options });
}

/** A build that must succeed without errors. */
export function buildOk(ir: FlowIR, options: Partial<TargetOptions> = {}): TargetResult {
  const res = build(ir, options);
  const errors = res.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(errors.map((d) => `${d.code}: ${d.message}`).join('\n'));
  return res;
}

export const file = (res: TargetResult, path: string): string => {
  const f = res.files.find((x) => x.path === path);
  if (!f) throw new Error(`No file '${path}' among ${res.files.map((x) => x.path).join(', ')}.`);
  return f.content;
};
