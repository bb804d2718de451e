/**
 * The targets flowc builds for: one record per target, each in its own folder (`targets/<name>/target.ts`).
 * The CLI (`flowc build --target`, its help), the language server (the build request, code lenses, the
 * targets' checks in diagnostics) and, through the server, the VS Code extension read the list from here.
 * Adding a target is its folder plus one line below.
 */
import type { TargetCheck } from '../compiler/target-check.ts';
import { argoTarget } from './argo/target.ts';
import { batchTarget } from './batch/target.ts';
import { graphTarget } from './graph/target.ts';
import { irTarget } from './ir/target.ts';
import { localTarget } from './local/target.ts';
import type { BuildableTarget, Target } from './types.ts';

export const targets: readonly Target[] = [irTarget, argoTarget, batchTarget, graphTarget, localTarget];

/** The targets `flowc build --target` and the editor's build command accept, in registry order. */
export const buildTargets: readonly BuildableTarget[] = targets.filter((t): t is BuildableTarget => t.load !== undefined);

/** The build target named `name`, or undefined. */
export const findBuildTarget = (name: string): BuildableTarget | undefined => buildTargets.find((t) => t.name === name);

/** The targets `flowc resume --target` accepts: the one that runs here (the default) and those that resume remotely. */
export const resumeTargets: readonly Target[] = targets.filter((t) => t.runsHere || t.resume);

/** Every target's check, for `AnalyzeOptions.targets`. */
export const targetChecks: readonly TargetCheck[] = targets.flatMap((t) => (t.check ? [{ name: t.name, check: t.check }] : []));
