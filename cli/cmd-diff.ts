/**
 * `flowc diff OLD.flow NEW.flow` or `flowc diff FILE --base REV`: what a change does to the pipelines in a file
 * (steps added, removed, renamed; edges; artifact types; resources, retry, timeout, schedule, parameters), as
 * text, JSON or Markdown for a pull-request comment.
 *
 * With `--base REV` the old version is `git show REV:./FILE`, run with execFile (no shell, the revision can
 * never become an option), from the file's own directory; a file that did not exist at REV diffs as all new.
 * Both versions must check without errors; otherwise their errors are printed and the exit code is 1.
 * Exit code 0 whether or not anything changed, unless `--exit-code` asks for 1 on changes (like `git diff`).
 */
import { execFile } from 'node:child_process';
import { basename, dirname, resolve } from 'node:path';
import { analyze } from '../compiler/analyze.ts';
import type { FlowIR } from '../compiler/ir.ts';
import { lower } from '../compiler/lower.ts';
import { targetChecks } from '../targets/registry.ts';
import { diffFlows, renderDiffJson, renderDiffMarkdown, renderDiffText } from '../targets/diff/index.ts';
import { parseArgs } from './args.ts';
import { optionsOf } from './commands.ts';
import { UsageError, type CliIO } from './io.ts';
import { loadFlow, lowerFlow, readConfig, findConfig, displayPath, type FileReport } from './load-flow.ts';
import { renderTextReport, useColor } from './report-text.ts';

const formats = ['text', 'json', 'markdown'] as const;
type Format = (typeof formats)[number];

function git(args: string[], cwd: string): Promise<{ ok: boolean; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile('git', args, { cwd, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err && (err as NodeJS.ErrnoException).code === 'ENOENT') done({ ok: false, stdout: '', stderr: 'git is not installed or not on PATH' });
      else done({ ok: !err, stdout, stderr });
    });
  });
}

/** The text of `path` at revision `rev`, or null when the file did not exist there. Throws UsageError for a bad revision. */
async function readAtRevision(rev: string, absPath: string): Promise<string | null> {
  if (rev.startsWith('-') || rev.includes('\0')) throw new UsageError(`'${rev}' is not a revision.`);
  const cwd = dirname(absPath);
  const verify = await git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`], cwd);
  if (!verify.ok) throw new UsageError(`Unknown git revision '${rev}'${verify.stderr.trim() ? `: ${verify.stderr.trim()}` : ''}.`);
  const shown = await git(['show', `${verify.stdout.trim()}:./${basename(absPath)}`], cwd);
  return shown.ok ? shown.stdout : null;
}

export default async function diff(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, optionsOf('diff'));
  const format = (args.values.format ?? 'text') as Format;
  if (!formats.includes(format)) throw new UsageError(`Unknown format '${format}'; expected one of ${formats.join(', ')}.`);
  const base = args.values.base;
  if (base !== undefined ? args.positionals.length !== 1 : args.positionals.length !== 2) {
    throw new UsageError(base !== undefined ? 'With --base, give exactly one .flow file.' : 'Give the old and the new .flow file (or one file and --base REV).');
  }
  const color = useColor(io.env, io.isTTY);
  const newPath = args.positionals[base !== undefined ? 0 : 1];
  const loadedNew = loadFlow(io, newPath, args.values.config);

  let oldFlows: FlowIR[];
  let oldReports: FileReport[] = [];
  let note: string | undefined;
  if (base !== undefined) {
    const text = await readAtRevision(base, loadedNew.path);
    const file = `${base}:${loadedNew.file}`;
    note = text === null ? `The file is new since ${'`'}${base}${'`'}.` : `Compared with ${'`'}${base}${'`'}.`;
    if (text === null) oldFlows = [];
    else {
      const config = readConfig(io, args.values.config ? resolve(io.cwd, args.values.config) : findConfig(dirname(loadedNew.path)));
      const analysis = analyze(text, { file, config: config.config, targets: targetChecks });
      oldReports = [{ file, text, diagnostics: analysis.diagnostics.filter((d) => !d.file) }];
      oldFlows = oldReports[0].diagnostics.some((d) => d.severity === 'error') ? [] : lower(analysis);
    }
  } else {
    const loadedOld = loadFlow(io, args.positionals[0], args.values.config);
    oldReports = loadedOld.reports;
    oldFlows = loadedOld.hasErrors ? [] : lowerFlow(loadedOld);
  }
  const failed = [...oldReports, ...loadedNew.reports].filter((r) => r.diagnostics.some((d) => d.severity === 'error'));
  if (failed.length > 0) {
    io.stderr(renderTextReport(failed, { color }));
    io.stderr(`flowc diff: ${failed.map((r) => `'${r.file}'`).join(' and ')} ${failed.length === 1 ? 'has' : 'have'} errors; fix them to see the diff.\n`);
    return 1;
  }
  const newFlows = lowerFlow(loadedNew);
  const result = diffFlows(oldFlows, newFlows);
  if (format === 'json') io.stdout(renderDiffJson(result));
  else if (format === 'markdown') io.stdout(renderDiffMarkdown(result, newFlows, { file: displayPath(io, loadedNew.path), note }));
  else io.stdout(renderDiffText(result));
  return args.flags['exit-code'] && result.changed ? 1 : 0;
}
