/**
 * `flowc/build`: what `flowc build FILE --target T` would write, for the editor to open in new tabs; and
 * `flowc/targets`: the targets it can build for (`targets/registry.ts`). Same pipeline as the CLI
 * (analyze → lower → target), on the open document's text.
 */
import { lower } from '../compiler/lower.ts';
import type { IdeDocument } from '../compiler/ide/document.ts';
import { buildTargets, findBuildTarget } from '../targets/registry.ts';
import type { TargetOptions } from '../targets/types.ts';
import type { BuildResult, TargetInfo } from './protocol.ts';

export const targetList = (): TargetInfo[] => buildTargets.map((t) => ({ name: t.name, summary: t.summary }));

export async function buildForTarget(doc: IdeDocument, name: string): Promise<BuildResult> {
  const target = findBuildTarget(name);
  if (!target) return { files: [], problems: [`Unknown target '${name}'; expected one of ${buildTargets.map((t) => t.name).join(', ')}.`] };
  const analysis = doc.analysis;
  const problems = (list: { severity: string; message: string; start: number }[]) =>
    list.filter((d) => d.severity === 'error').map((d) => `${doc.options.file}:${doc.lines.position(d.start).line + 1}: ${d.message}`);
  if (analysis.hasErrors) return { files: [], problems: problems(analysis.diagnostics) };
  const build = await target.load();
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
