/**
 * The unit every editor query works on: one file's text with its parse and analysis, computed lazily once.
 *
 * The server keeps one `IdeDocument` per open document version (requests are stateless otherwise), so a hover
 * right after a completion on the same version reuses the same analysis.
 * Invariant: no IO here; the server reads files and `flowc.yaml` and passes text and config in.
 * Invariant: an editor must survive any file it is given, so above `sizeLimits` a document is only parsed, or
 * not even that, and features answer from an empty tree (the CLI has no such limit).
 */
import type { FileNode } from '../../grammar/ast.ts';
import type { FlowcConfig } from '../config-types.ts';
import { LineIndex } from '../../diagnostics/line-index.ts';
import { parse, type ParseResult } from '../../grammar/parse.ts';
import { analyzeAst, type Analysis } from '../analyze.ts';
import type { TargetCheck } from '../target-check.ts';

export interface IdeOptions {
  /** The file name used in diagnostics (a path relative to the workspace, or the URI). */
  file: string;
  /** The project config from `flowc.yaml`, already loaded. */
  config?: FlowcConfig;
  /** The targets' checks to run (the server passes the registry's). */
  targets?: readonly TargetCheck[];
}

/**
 * Sizes (UTF-16 code units) above which the editor stops checking. Measured: a 3 MB flow (30,000 steps) takes
 * about 10 s and 1 GB to analyse; a 10 MB one parses in about 9 s but its analysis runs out of memory.
 */
export const sizeLimits = { analyze: 3_000_000, parse: 12_000_000 };

export interface IdeDocument {
  readonly text: string;
  readonly options: IdeOptions;
  readonly lines: LineIndex;
  readonly parsed: ParseResult;
  /** Exactly what `flowc check` computes for the same text and config (below the size limits). */
  readonly analysis: Analysis;
  /** Set when the document is over a size limit: what was skipped. */
  readonly tooLarge: 'analysis' | 'parse' | undefined;
}

const emptyFile = (length: number): FileNode => ({ kind: 'File', types: [], flows: [], comments: [], span: { start: 0, end: length } });

export function createIdeDocument(text: string, options: IdeOptions): IdeDocument {
  let lines: LineIndex | undefined;
  let parsed: ParseResult | undefined;
  let analysis: Analysis | undefined;
  const tooLarge = text.length > sizeLimits.parse ? 'parse' : text.length > sizeLimits.analyze ? 'analysis' : undefined;
  return {
    text,
    options,
    tooLarge,
    get lines() {
      return (lines ??= new LineIndex(text));
    },
    get parsed() {
      return (parsed ??= tooLarge === 'parse' ? { file: emptyFile(text.length), diagnostics: [] } : parse(text));
    },
    get analysis() {
      if (analysis) return analysis;
      const opts = { file: options.file, config: options.config, targets: options.targets };
      if (!tooLarge) return (analysis = analyzeAst(this.parsed.file, text, this.parsed.diagnostics, opts));
      // The empty file stands in for text that was not analysed: it does not mean the text has no flow.
      const stub = analyzeAst(emptyFile(text.length), text, this.parsed.diagnostics, opts);
      return (analysis = { ...stub, diagnostics: stub.diagnostics.filter((d) => d.code !== 'no-flow') });
    },
  };
}
