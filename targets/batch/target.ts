/** The AWS Batch + Step Functions target's record (see `targets/registry.ts`). */
import { batchCodes } from '../../diagnostics/catalog/batch.ts';
import type { Target } from '../types.ts';
import { checkBatch } from './check.ts';
import { batchStepSettings } from './settings.ts';

export const batchTarget: Target = {
  name: 'batch',
  summary: 'AWS Batch job definitions + Step Functions (JSON)',
  lens: 'Build for Batch',
  formats: ['json', 'cloudformation'],
  codes: batchCodes,
  stepSettings: batchStepSettings,
  check: checkBatch,
  load: async () => (await import('./index.ts')).buildBatch,
  resume: { readers: 'Batch jobs', needsFlow: false, load: async () => (await import('./run-by-hand.ts')).resumeOnBatch },
  submission: { file: 'input.json', load: async () => (await import('./run-by-hand.ts')).inputFile },
};
