/**
 * The contract between analysis and the targets' own checks (names and limits only a target knows).
 *
 * Analysis builds one `TargetCheckFlow` per flow and hands it to every check it was given in
 * `AnalyzeOptions.targets`, so a target's errors appear in `flowc check` and in the editor as you type. The
 * targets build the same shape from the IR (`targets/check-flow.ts`), so the one rule also guards an IR that
 * did not come from analysis. The compiler never imports a target: the CLI and the language server pass the
 * registry's checks in (`targets/registry.ts`).
 */
import type { Span } from '../diagnostics/types.ts';
import type { FlowcConfig } from './config-types.ts';
import type { ResourcesIR } from './ir.ts';
import type { Report } from '../diagnostics/report.ts';

/** A flow as the targets will name and size it (target-neutral; no AST). */
export interface TargetCheckFlow {
  name: string;
  /** `@project(name)`, else null. */
  project: string | null;
  /** Where flow-level problems are reported. */
  span: Span;
  /** True when the flow has `@schedule`. */
  scheduled: boolean;
  steps: TargetCheckStep[];
}

export interface TargetCheckStep {
  name: string;
  span: Span;
  /** True when the step fans out with `foreach` (targets may name its body). */
  foreach: boolean;
  /** `@max_workers(N)` on a foreach step (targets may give its bounded fan-out a name). */
  maxWorkers?: number;
  /** True when the step switches back in a bounded loop (`@loop`; targets may name its loop). */
  loop: boolean;
  resources: ResourcesIR;
  /** Spans of the `@resources` arguments when known (from analysis); problems fall back to `span`. */
  resourceSpans: Partial<Record<keyof ResourcesIR, Span>>;
}

/** One target's check: reports what does not fit the target, through `report`. Pure. */
export interface TargetCheck {
  name: string;
  check(flow: TargetCheckFlow, config: FlowcConfig, report: Report): void;
}
