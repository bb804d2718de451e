/** The outline of a file: record types with their fields, flows with their params and steps, steps with their inputs and outputs. */
import type { FileNode, StepDecl, TypeExpr } from '../../grammar/ast.ts';
import type { IdeDocument } from './document.ts';
import type { DocumentSymbol } from './types.ts';

export function getDocumentSymbols(doc: IdeDocument): DocumentSymbol[] {
  return symbolsOfFile(doc.parsed.file, doc.text);
}

/** Also used for workspace symbols, on files that are not open. */
export function symbolsOfFile(file: FileNode, text: string): DocumentSymbol[] {
  const out: DocumentSymbol[] = [];
  for (const t of file.types ?? []) {
    if (!t.name?.name) continue;
    out.push({
      name: t.name.name,
      kind: 'type',
      detail: 'record',
      span: t.span,
      selection: t.name.span,
      children: (t.fields ?? [])
        .filter((f) => f.name?.name)
        .map((f) => ({ name: f.name.name, kind: 'field', detail: typeText(f.type, text), span: f.span, selection: f.name.span, children: [] })),
    });
  }
  for (const flow of file.flows ?? []) {
    if (!flow.name?.name) continue;
    const children: DocumentSymbol[] = [];
    for (const m of flow.members ?? []) {
      if (m.kind === 'Param' && m.name?.name) {
        children.push({ name: m.name.name, kind: 'param', detail: typeText(m.type, text), span: m.span, selection: m.name.span, children: [] });
      } else if (m.kind === 'Step' && m.name?.name) {
        children.push(stepSymbol(m, text));
      }
    }
    out.push({ name: flow.name.name, kind: 'flow', detail: 'flow', span: flow.span, selection: flow.name.span, children });
  }
  return out;
}

function stepSymbol(step: StepDecl, text: string): DocumentSymbol {
  const children: DocumentSymbol[] = [];
  for (const m of step.members ?? []) {
    if ((m.kind === 'In' || m.kind === 'Out') && m.name?.name) {
      const detail = m.kind === 'In' ? `in${m.type ? `: ${typeText(m.type, text)}` : ''}${m.from?.name ? ` from ${m.from.name}` : ''}` : `out: ${typeText(m.type, text)}`;
      children.push({ name: m.name.name, kind: m.kind === 'In' ? 'input' : 'output', detail, span: m.span, selection: m.name.span, children: [] });
    }
  }
  return { name: step.name.name, kind: 'step', detail: 'step', span: step.span, selection: step.name.span, children };
}

/** A type expression as written (whitespace collapsed). */
function typeText(type: TypeExpr | undefined, text: string): string {
  if (!type) return '';
  return text.slice(type.span.start, type.span.end).replace(/\s+/g, '');
}
