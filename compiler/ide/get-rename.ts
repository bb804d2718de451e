/**
 * Rename a step, artifact, parameter, record type, field or foreach element: every occurrence the analysis
 * recorded changes, so renaming an artifact renames each producing `out`, each `in` that reads it, switch and
 * foreach subjects, and `{{in.x}}` / `{{out.x}}` templates.
 * Deliberately not renamed: variables inside `python`/`sh` scripts (inputs are bound under the artifact's name
 * there, but flowc does not parse the script languages); the rename result says so in its warning.
 */
import type { Symbol } from '../symbols.ts';
import type { IdeDocument } from './document.ts';
import { occurrencesOf, symbolAt } from './symbol-at.ts';
import type { RenameResult, Span, TextEdit } from './types.ts';

const identifier = /^[A-Za-z_][A-Za-z0-9_]*$/;
const fixedSteps = new Set(['start', 'end']);

export type PrepareRenameResult = { span: Span; placeholder: string } | { error: string };

export function prepareRename(doc: IdeDocument, offset: number): PrepareRenameResult {
  const at = symbolAt(doc, offset);
  if (!at) return { error: 'Only steps, artifacts, parameters, record types, fields and foreach elements can be renamed.' };
  if (at.symbol.kind === 'step' && fixedSteps.has(at.symbol.name)) return { error: `The step '${at.symbol.name}' cannot be renamed: every flow starts at 'start' and finishes at 'end'.` };
  if (at.symbol.kind === 'artifact' && at.symbol.decls.some((d) => d.fixedName)) {
    return { error: `'${at.symbol.name}' is the variable of a @catch that does not write it as a name; write @catch(var: ${at.symbol.name}) to rename it.` };
  }
  return { span: at.reference.span, placeholder: at.symbol.name };
}

export function getRename(doc: IdeDocument, offset: number, newName: string): RenameResult {
  const prepared = prepareRename(doc, offset);
  if ('error' in prepared) return prepared;
  if (!identifier.test(newName)) return { error: `'${newName}' is not a valid name: use letters, digits and '_', not starting with a digit.` };
  const at = symbolAt(doc, offset)!;
  const symbol = at.symbol;
  if (symbol.kind === 'step' && fixedSteps.has(newName)) return { error: `A step cannot be renamed to '${newName}', which has a fixed role in every flow.` };
  const clash = clashes(doc, symbol, newName);
  if (clash) return { error: clash };
  const edits: TextEdit[] = [];
  const seen = new Set<number>();
  for (const r of occurrencesOf(doc, symbol)) {
    if (seen.has(r.span.start)) continue;
    seen.add(r.span.start);
    edits.push({ start: r.span.start, end: r.span.end, newText: newName });
  }
  return { edits };
}

/** A message when `newName` already names something of the same kind in the same scope. */
function clashes(doc: IdeDocument, symbol: Symbol, newName: string): string | undefined {
  if (newName === symbol.name) return undefined;
  const analysis = doc.analysis;
  const flow = analysis.flows.find((f) => f.name === symbol.flow);
  switch (symbol.kind) {
    case 'step':
      return flow?.symbols.steps.has(newName) ? `Flow '${flow.name}' already has a step '${newName}'.` : undefined;
    case 'artifact':
    case 'item':
      if (flow?.symbols.artifacts.has(newName)) return `Flow '${flow.name}' already has an artifact '${newName}'.`;
      return flow?.symbols.params.has(newName) ? `Flow '${flow.name}' already has a parameter '${newName}'.` : undefined;
    case 'param':
      if (flow?.symbols.params.has(newName)) return `Flow '${flow.name}' already has a parameter '${newName}'.`;
      return flow?.symbols.artifacts.has(newName) ? `Flow '${flow.name}' already has an artifact '${newName}'.` : undefined;
    case 'type':
      return analysis.types.has(newName) ? `A record type '${newName}' already exists.` : undefined;
    case 'field': {
      const rec = analysis.types.get(symbol.record);
      return rec?.fields.has(newName) ? `Record '${symbol.record}' already has a field '${newName}'.` : undefined;
    }
    case 'flow':
      return analysis.flows.some((f) => f.name === newName) ? `A flow '${newName}' already exists.` : undefined;
  }
}
