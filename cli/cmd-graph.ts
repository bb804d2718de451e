/** `flowc graph FILE [--format mermaid|dot]`: the DAG of each flow in the file. */
import { renderGraph, type GraphFormat } from '../targets/graph/index.ts';
import { parseArgs } from './args.ts';
import { optionsOf } from './commands.ts';
import { UsageError, type CliIO } from './io.ts';
import { loadFlow, lowerFlow } from './load-flow.ts';
import { renderTextReport, useColor } from './report-text.ts';

export default async function graph(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, optionsOf('graph'));
  if (args.positionals.length !== 1) throw new UsageError('Give exactly one .flow file.');
  const format = (args.values.format ?? 'mermaid') as GraphFormat;
  if (format !== 'mermaid' && format !== 'dot') throw new UsageError(`Unknown format '${format}'; expected mermaid or dot.`);
  const loaded = loadFlow(io, args.positionals[0], args.values.config);
  if (loaded.hasErrors) {
    io.stderr(renderTextReport(loaded.reports, { color: useColor(io.env, io.isTTY) }));
    return 1;
  }
  io.stdout(lowerFlow(loaded).map((ir) => renderGraph(ir, format)).join('\n'));
  return 0;
}
