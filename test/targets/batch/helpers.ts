/**
 * Shared helpers of the Batch target tests: the IR of a sample (built from source by analyze → lower when
 * the front end is present, else read from the JSON fixture of the same sample), the reference `flowc.yaml`
 * settings, and a build that fails the test on errors.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FlowcConfig } from '../../../compiler/config-types.ts';
import type { FlowIR } from '../../../compiler/ir.ts';
import { buildBatch } from '../../../targets/batch/index.ts';
import type { TargetOptions, TargetResult } from '../../../targets/types.ts';
import { repoRoot, testRoot } from '../../helpers/golden.ts';

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

type Lower = (analysis: unknown) => FlowIR[];
type Analyze = (text: string, options: { file: string; config: FlowcConfig }) => { diagnostics: { severity: string; code: string; message: string }[] };
let frontEnd: { analyze: Analyze; lower: Lower } | null | undefined;

async function loadFrontEnd(): Promise<{ analyze: Analyze; lower: Lower } | null> {
  if (frontEnd !== undefined) return frontEnd;
  frontEnd = null;
  if (existsSync(join(repoRoot, 'compiler/lower.ts')) && existsSync(join(repoRoot, 'compiler/analyze.ts'))) {
    try {
      const a = (await import('../../../compiler/analyze.ts' as string)) as { analyze: Analyze };
      const l = (await import('../../../compiler/lower.ts' as string)) as { lower: Lower };
      frontEnd = { analyze: a.analyze, lower: l.lower };
    } catch {
      frontEnd = null;
    }
  }
  return frontEnd;
}

/** The IR of flow source `text` (the front end must be present). */
export async function irOf(text: string, file = 'test.flow', config: FlowcConfig = CONFIG): Promise<FlowIR> {
  const fe = await loadFrontEnd();
  if (!fe) throw new Error('The front end (compiler/analyze.ts, compiler/lower.ts) is not available.');
  const analysis = fe.analyze(text, { file, config });
  const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(`${file}: ${errors.map((d) => `${d.code}: ${d.message}`).join('\n')}`);
  return fe.lower(analysis)[0];
}

export const hasFrontEnd = async (): Promise<boolean> => (await loadFrontEnd()) !== null;

/** The IR of a sample: built from `samples/<name>.flow`, or the fixture when the front end is absent. */
export async function sampleIR(name: string): Promise<FlowIR> {
  if (await loadFrontEnd()) return irOf(readFileSync(join(repoRoot, 'samples', `${name}.flow`), 'utf8'), `samples/${name}.flow`);
  return JSON.parse(readFileSync(join(testRoot, 'targets/batch/fixtures', `${name}.ir.json`), 'utf8')) as FlowIR;
}

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
