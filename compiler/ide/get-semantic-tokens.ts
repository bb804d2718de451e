/**
 * Semantic tokens: the role of every name, which the TextMate grammar can only guess (a step called `join`, an
 * artifact called `out`, a record type written in lower case, a name inside a `{{...}}` template).
 * Keywords, strings, numbers and comments are left to the TextMate grammar.
 * Tokens are sorted by offset and never overlap; none spans a line break.
 */
import type { Decorator, Expr, Ident, TypeExpr } from '../../grammar/ast.ts';
import { isBuiltinType } from '../sem-types.ts';
import type { IdeDocument } from './document.ts';
import type { SemanticToken, SemanticTokenModifier, SemanticTokenType } from './types.ts';

export const semanticTokenTypes: SemanticTokenType[] = ['type', 'class', 'function', 'parameter', 'variable', 'property', 'decorator', 'keyword', 'number', 'string', 'comment', 'operator', 'enumMember'];
export const semanticTokenModifiers: SemanticTokenModifier[] = ['declaration', 'readonly', 'defaultLibrary'];

export function getSemanticTokens(doc: IdeDocument): SemanticToken[] {
  const out: SemanticToken[] = [];
  const ident = (id: Ident | undefined, type: SemanticTokenType, ...modifiers: SemanticTokenModifier[]) => {
    if (id && id.name && id.span.end > id.span.start) out.push({ start: id.span.start, length: id.span.end - id.span.start, type, modifiers });
  };
  const typeExpr = (t: TypeExpr | undefined): void => {
    if (!t) return;
    if (t.kind === 'NamedType') ident(t.name, isBuiltinType(t.name.name) ? 'type' : 'class', ...(isBuiltinType(t.name.name) ? (['defaultLibrary'] as const) : []));
    else if (t.kind === 'ListType') typeExpr(t.element);
    else if (t.kind === 'MapType') typeExpr(t.value);
    else if (t.kind === 'OptionalType') typeExpr(t.inner);
  };
  const expr = (e: Expr | undefined): void => {
    if (!e) return;
    if (e.kind === 'List') e.items.forEach(expr);
    else if (e.kind === 'Object')
      for (const entry of e.entries) {
        ident(entry.key, 'property');
        expr(entry.value);
      }
    else if (e.kind === 'Name') ident(e.name, 'enumMember');
  };
  const decorators = (list: Decorator[] | undefined) => {
    for (const d of list ?? []) {
      if (d.name?.name) out.push({ start: d.span.start, length: d.name.span.end - d.span.start, type: 'decorator', modifiers: [] });
      for (const a of d.args ?? []) {
        ident(a.name, 'property');
        expr(a.value);
      }
    }
  };
  const file = doc.parsed.file;
  for (const t of file.types ?? []) {
    ident(t.name, 'class', 'declaration');
    for (const f of t.fields ?? []) {
      ident(f.name, 'property', 'declaration');
      typeExpr(f.type);
    }
  }
  for (const flow of file.flows ?? []) {
    decorators(flow.decorators);
    ident(flow.name, 'class', 'declaration');
    for (const m of flow.members ?? []) {
      if (m.kind === 'Param') {
        ident(m.name, 'parameter', 'declaration', 'readonly');
        typeExpr(m.type);
        expr(m.default);
      } else if (m.kind === 'Step') {
        decorators(m.decorators);
        ident(m.name, 'function', 'declaration');
        for (const sm of m.members ?? []) {
          if (sm.kind === 'In') {
            const isParam = doc.analysis.identSymbols.get(sm.name)?.kind === 'param';
            if (isParam) ident(sm.name, 'parameter', 'readonly');
            else ident(sm.name, 'variable');
            typeExpr(sm.type);
            ident(sm.from, 'function');
          } else if (sm.kind === 'Out') {
            ident(sm.name, 'variable', 'declaration');
            typeExpr(sm.type);
          } else if (sm.kind === 'NextSteps') sm.targets.forEach((t) => ident(t, 'function'));
          else if (sm.kind === 'NextForeach') {
            ident(sm.target, 'function');
            ident(sm.item, 'variable', 'declaration');
            ident(sm.list, 'variable');
          } else if (sm.kind === 'NextSwitch') {
            ident(sm.subject, 'variable');
            for (const c of sm.cases ?? []) ident(c.target, 'function');
            ident(sm.otherwise, 'function');
          }
        }
      }
    }
  }
  // Names inside `{{...}}` templates have no node: take them from the analysis.
  if (!doc.tooLarge) {
    for (const ref of doc.analysis.references) {
      if (ref.node) continue;
      const type: SemanticTokenType = ref.symbol.kind === 'param' ? 'parameter' : ref.symbol.kind === 'step' ? 'function' : 'variable';
      out.push({ start: ref.span.start, length: ref.span.end - ref.span.start, type, modifiers: ref.symbol.kind === 'param' ? ['readonly'] : [] });
    }
  }
  return dedupe(out.sort((a, b) => a.start - b.start));
}

function dedupe(tokens: SemanticToken[]): SemanticToken[] {
  const res: SemanticToken[] = [];
  let end = -1;
  for (const t of tokens) {
    if (t.start < end) continue;
    res.push(t);
    end = t.start + t.length;
  }
  return res;
}
