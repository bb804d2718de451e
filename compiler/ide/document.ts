/**
 * The unit every editor query works on: one file's text with its parse and analysis, computed lazily once.
 *
 * The server keeps one `IdeDocument` per open document version (requests are stateless otherwise), so a hover
 * right after a completion on the same version reuses the same analysis.
 * Invariant: no IO here; the server reads files and `flowc.yaml` and passes text and config in.
 */
import type { FlowcConfig } from '../config-types.ts';
import { LineIndex } from '../../diagnostics/line-index.ts';
import { parse, type ParseResult } from '../../grammar/parse.ts';
import { analyzeAst, type Analysis } from '../analyze.ts';

export interface IdeOptions {
  /** The file name used in diagnostics (a path relative to the workspace, or the URI). */
  file: string;
  /** The project config from `flowc.yaml`, already loaded. */
  config?: FlowcConfig;
}

export interface IdeDocument {
  readonly text: string;
  readonly options: IdeOptions;
  readonly lines: LineIndex;
  readonly parsed: ParseResult;
  /** Exactly what `flowc check` computes for the same text and config. */
  readonly analysis: Analysis;
}

export function createIdeDocument(text: string, options: IdeOptions): IdeDocument {
  let lines: LineIndex | undefined;
  let parsed: ParseResult | undefined;
  let analysis: Analysis | undefined;
  return {
    text,
    options,
    get lines() {
      return (lines ??= new LineIndex(text));
    },
    get parsed() {
      return (parsed ??= parse(text));
    },
    get analysis() {
      return (analysis ??= analyzeAst(this.parsed.file, text, this.parsed.diagnostics, { file: options.file, config: options.config }));
    },
  };
}
