/**
 * Runs on Batch started by hand: `flowc build --target batch --param ...` writes the execution input
 * (`input.json`); `flowc resume RUN_ID --target batch` prints the execution input that starts a
 * new execution of the deployed state machine resuming the run by reference (the task runtime takes over
 * finished tasks whose step is unchanged, except those of `--from STEP` (`flowc.from`) and after it,
 * docs/targets.md), and the AWS CLI command that starts it. Pure.
 */
import { irJson, type FlowIR } from '../../compiler/ir.ts';
import type { ResumeRequest, ResumeResult } from '../types.ts';
import { shellQuote } from '../protocol/index.ts';

/** `input.json` of `flowc build --target batch --param ...`: the execution input itself (integers beyond 2^53 exact). */
export const inputFile = (_ir: FlowIR, input: Record<string, unknown>): string => `${irJson(input, 2)}\n`;

export function resumeOnBatch(req: ResumeRequest): ResumeResult {
  const { run } = req;
  const text = JSON.stringify({ flowc: { origin: run.id, ...(req.from !== undefined ? { from: req.from } : {}), namespace: req.namespace, tags: req.tags } });
  return {
    stdout: `${text}\n`,
    hint: `start it with\n  aws stepfunctions start-execution --state-machine-arn <ARN of ${run.flow}'s state machine> --input ${shellQuote(text)}\n`,
    diagnostics: [],
  };
}
