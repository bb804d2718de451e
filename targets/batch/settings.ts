/**
 * The Batch target's section of a step's IR (`StepIR.targets.batch`): what `@batch` set, its checked arguments
 * by name. Its schema goes into `ir.schema.json` through the registry (`Target.stepSettings`).
 */
import type { JsonSchema, StepIR } from '../../compiler/ir.ts';

interface BatchSection {
  batch?: { queue?: string };
}

export const batchStepSettings: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { batch: { type: 'object', additionalProperties: false, properties: { queue: { type: 'string' } } } },
};

/** The job queue `@batch(queue)` sets for a step, if any. */
export const queueOf = (step: StepIR): string | undefined => (step.targets.batch as BatchSection | undefined)?.batch?.queue;
