/**
 * The state the checking phases share while analysing one file: the reporter, the reference side tables,
 * and the record types. Phases are plain functions taking this context; none keeps state of its own.
 */
import type { Ident } from '../grammar/ast.ts';
import type { Span } from '../diagnostics/types.ts';
import type { Report } from '../diagnostics/report.ts';
import type { RecordTable } from './sem-types.ts';
import type { Reference, Symbol, TypeSymbol } from './symbols.ts';

export interface CheckContext {
  report: Report;
  /** Every name occurrence, in the order found (sorted by span when the analysis is returned). */
  references: Reference[];
  /** The symbol each resolved `Ident` refers to. */
  identSymbols: Map<Ident, Symbol>;
  /** Record types of the file, by name. */
  types: Map<string, TypeSymbol>;
  records: RecordTable;
}

/** Records that `node` (or a span without a node) refers to `symbol`. */
export function addReference(ctx: CheckContext, symbol: Symbol, at: Ident | Span, declaration = false): void {
  if ('kind' in at) {
    if (!at.name) return;
    ctx.identSymbols.set(at, symbol);
    ctx.references.push({ span: at.span, symbol, node: at, declaration });
  } else {
    ctx.references.push({ span: { start: at.start, end: at.end }, symbol, declaration });
  }
}

/** "Step 'a'", joined: `'a', 'b' and 'c'`. */
export function quoteList(names: readonly string[]): string {
  const quoted = names.map((n) => `'${n}'`);
  if (quoted.length <= 1) return quoted.join('');
  return `${quoted.slice(0, -1).join(', ')} and ${quoted[quoted.length - 1]}`;
}
