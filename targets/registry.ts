/**
 * The targets flowc builds for: one record per target, each in its own folder (`targets/<name>/target.ts`).
 * The CLI (`flowc build --target`, its help), the language server (the build request, code lenses, the
 * targets' checks in diagnostics) and, through the server, the VS Code extension read the list from here.
 * Adding a target is its folder plus one line below.
 */
import type { TargetCheck } from '../compiler/target-check.ts';
import { argoTarget } from './argo/target.ts';
import { batchTarget } from './batch/target.ts';
import { irTarget } from './ir/target.ts';
import type { Target } from './types.ts';

export const targets: readonly Target[] = [irTarget, argoTarget, batchTarget];

/** The target named `name`, or undefined. */
export const findTarget = (name: string): Target | undefined => targets.find((t) => t.name === name);

/** Every target's check, for `AnalyzeOptions.targets`. */
export const targetChecks: readonly TargetCheck[] = targets.flatMap((t) => (t.check ? [{ name: t.name, check: t.check }] : []));
