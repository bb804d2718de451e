/**
 * `flowc fmt [--check] PATH...`: rewrite .flow files in the canonical layout. With `--check` nothing is
 * written; files that would change are named and the exit code is 1. A file with syntax errors (or not UTF-8) is never
 * rewritten: its errors are printed and the exit code is 1.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { formatText } from '../compiler/format.ts';
import { parseArgs } from './args.ts';
import { optionsOf } from './commands.ts';
import { UsageError, type CliIO } from './io.ts';
import { displayPath, expandPaths, readFlowSource } from './load-flow.ts';
import { renderTextReport, useColor } from './report-text.ts';

export default async function fmt(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, optionsOf('fmt'));
  if (args.positionals.length === 0) throw new UsageError('Give at least one .flow file or directory.');
  const checkOnly = Boolean(args.flags.check);
  let code = 0;
  let changed = 0;
  for (const path of expandPaths(io, args.positionals)) {
    const file = displayPath(io, path);
    // Never rewrite a file that is not UTF-8: its bad bytes would be replaced for good.
    const { text, diagnostics: bytes } = readFlowSource(io, path);
    const res = formatText(text);
    const errors = [...bytes, ...res.diagnostics];
    if (errors.some((d) => d.severity === 'error')) {
      io.stderr(renderTextReport([{ file, text, diagnostics: errors }], { color: useColor(io.env, io.isTTY) }));
      code = 1;
      continue;
    }
    if (res.text === text) continue;
    changed++;
    if (checkOnly) {
      io.stdout(`would reformat ${file}\n`);
      code = 1;
    } else {
      const tmp = `${path}.tmp-${process.pid}`;
      writeFileSync(tmp, res.text);
      renameSync(tmp, path);
      io.stdout(`formatted ${file}\n`);
    }
  }
  if (checkOnly && changed > 0) io.stdout(`${changed} file${changed === 1 ? '' : 's'} would be reformatted; run 'flowc fmt' on ${changed === 1 ? 'it' : 'them'}.\n`);
  return code;
}
