/**
 * Workspace symbols: the outline of a file that need not be open (flows, types and their steps, parameters and
 * fields), and the query filter. The server keeps the outlines of unchanged files and converts the result.
 */
import { parse } from '../../grammar/parse.ts';
import { sizeLimits } from './document.ts';
import { symbolsOfFile } from './get-document-symbols.ts';
import type { DocumentSymbol } from './types.ts';

export interface WorkspaceSymbol {
  symbol: DocumentSymbol;
  /** The flow or type it belongs to. */
  container: string | undefined;
}

/** The outline of a file's text (empty above the editor's size limit, like every editor query). */
export function workspaceOutline(text: string): DocumentSymbol[] {
  return text.length > sizeLimits.analyze ? [] : symbolsOfFile(parse(text).file, text);
}

/** The symbols of an outline whose names match `query`: its characters in order, case-insensitive. */
export function matchWorkspaceSymbols(outline: DocumentSymbol[], query: string): WorkspaceSymbol[] {
  const out: WorkspaceSymbol[] = [];
  const visit = (s: DocumentSymbol, container?: string) => {
    if (matchesQuery(s.name, query)) out.push({ symbol: s, container });
    for (const c of s.children) if (c.kind === 'step' || c.kind === 'param' || c.kind === 'field') visit(c, s.name);
  };
  for (const s of outline) visit(s);
  return out;
}

function matchesQuery(name: string, query: string): boolean {
  const n = name.toLowerCase();
  let i = 0;
  for (const c of query.toLowerCase()) {
    i = n.indexOf(c, i);
    if (i < 0) return false;
    i++;
  }
  return true;
}
