/**
 * How many tasks of a run run at once, the one rule every remote target follows (docs/targets.md, "Max workers").
 * Precedence, most specific first: `@max_workers(N)` on a foreach step (that fan-out only), `@max_workers(N)` on
 * the flow, `flowc build --max-workers N`, `maxWorkers` in flowc.yaml, then `DEFAULT_MAX_WORKERS` (Metaflow's
 * default on Argo and Step Functions). The CLI puts `--max-workers` into the config it passes, over the file's.
 */
import type { FlowcConfig } from '../compiler/config-types.ts';
import type { FlowIR, StepIR } from '../compiler/ir.ts';

const DEFAULT_MAX_WORKERS = 100;

/** Tasks of one run at once: the flow's `@max_workers`, else the build's setting, else the default. */
export const runMaxWorkers = (ir: FlowIR, config: FlowcConfig): number => ir.maxWorkers ?? config.maxWorkers ?? DEFAULT_MAX_WORKERS;

/** Tasks of one foreach's fan-out at once: the step's `@max_workers`, else the run's. */
export const foreachMaxWorkers = (ir: FlowIR, step: StepIR, config: FlowcConfig): number => step.maxWorkers ?? runMaxWorkers(ir, config);
