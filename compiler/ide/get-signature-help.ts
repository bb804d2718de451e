/**
 * Signature help inside a decorator's parentheses: the decorator's arguments with kinds and defaults, the one
 * being written highlighted (by name when written `name:`, else by position).
 */
import { argSignature, decoratorCatalog } from '../decorators.ts';
import { completionContext, lexStart } from './completion-context.ts';
import type { IdeDocument } from './document.ts';

export interface SignatureHelp {
  label: string;
  documentation: string;
  /** Each argument as `[start, end)` offsets into `label`, with its documentation. */
  parameters: { label: [number, number]; documentation: string }[];
  active: number;
}

export function getSignatureHelp(doc: IdeDocument, offset: number): SignatureHelp | null {
  const ctx = completionContext(doc.text, offset, lexStart(doc.parsed.file, doc.text, offset));
  const inner = ctx.blocks[ctx.blocks.length - 1];
  if (ctx.inString || ctx.inComment || inner?.kind !== 'decorator') return null;
  const spec = decoratorCatalog[inner.name];
  if (!spec || spec.args.length === 0) return null;
  let label = `@${spec.name}(`;
  const parameters: SignatureHelp['parameters'] = [];
  spec.args.forEach((a, i) => {
    const text = argSignature(a);
    parameters.push({ label: [label.length, label.length + text.length], documentation: a.doc });
    label += text + (i + 1 < spec.args.length ? ', ' : '');
  });
  label += ')';
  // The tokens inside the parentheses on this line: `name:` names the argument, else count commas.
  const stmt = ctx.statement;
  const inside = stmt.slice(stmt.lastIndexOf('(') + 1);
  const current = inside.slice(inside.lastIndexOf(',') + 1);
  const named = current.length >= 2 && current[1] === ':' ? spec.args.findIndex((a) => a.name === current[0]) : -1;
  const commas = inside.filter((t) => t === ',').length;
  const word = ctx.word;
  const typedName = current.length === 0 ? spec.args.findIndex((a) => a.name.startsWith(word) && word.length > 0) : -1;
  const active = named >= 0 ? named : typedName >= 0 ? typedName : Math.min(commas, spec.args.length - 1);
  return { label, documentation: spec.doc, parameters, active };
}
