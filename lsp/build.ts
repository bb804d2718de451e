/**
 * `flowc/build`: what `flowc build FILE --target T` would write, for the editor to open in new tabs.
 * Same pipeline as the CLI (analyze → lower → target), on the open document's text.
 */
import { lower } from '../compiler/lower.ts';
import type { IdeDocument } from '../compiler/ide/document.ts';
import { buildArgo } from '../targets/argo/index.ts';
import { buildBatch } from '../targets/batch/index.ts';
import { buildIr } from '../targets/ir/index.ts';
import type { TargetOptions, TargetResult } from '../targets/types.ts';
import type { FlowIR } from '../compiler/ir.ts';
import type { BuildResult } from './protocol.ts';

const targets: Record<string, (ir: FlowIR, options: TargetOptions) => TargetResult> = { ir: buildIr, argo: buildArgo, batch: buildBatch };

export function buildForTarget(doc: IdeDocument, target: string): BuildResult {
  const build = targets[target];
  if (!build) return { files: [], problems: [`Unknown target '${target}'; expected one of ${Object.keys(targets).join(', ')}.`] };
  const analysis = doc.analysis;
  const problems = (list: { severity: string; message: string; start: number }[]) =>
    list.filter((d) => d.severity === 'error').map((d) => `${doc.options.file}:${doc.lines.position(d.start).line + 1}: ${d.message}`);
  if (analysis.hasErrors) return { files: [], problems: problems(analysis.diagnostics) };
  const options: TargetOptions = { config: doc.options.config ?? {}, sourceFile: doc.options.file };
  const results = lower(analysis).map((ir) => build(ir, options));
  const errors = problems(results.flatMap((r) => r.diagnostics));
  if (errors.length) return { files: [], problems: errors };
  const files = results.flatMap((r) => r.files);
  return {
    files: files.map((f) => ({ name: f.path, language: f.path.endsWith('.yaml') || f.path.endsWith('.yml') ? 'yaml' : f.path.endsWith('.json') ? 'json' : 'plaintext', content: f.content })),
    problems: [],
  };
}
