/**
 * Turns the chevrotain CST into the AST of `ast.ts`.
 *
 * The CST may be partial (error recovery): any child can be missing, and a token inserted by recovery has no
 * position. Missing names become `Ident`s with an empty name and an empty span at the end of their node, as the
 * AST contract says; missing optional sub-nodes become `undefined`.
 * A few rules that the grammar cannot express (one `else` per switch, one target per `foreach`) are reported here
 * as syntax errors.
 */
import type { CstElement, CstNode, IToken } from 'chevrotain';
import type * as A from './ast.ts';
import type { Diagnostic } from '../diagnostics/types.ts';
import { diagnostic } from '../diagnostics/report.ts';
import type { NumberPayload, StringPayload } from './tokens.ts';

type Children = Record<string, CstElement[] | undefined>;

// The helpers below run for every CST node of a file, so they loop over the child arrays instead of filtering and
// sorting copies of them: building the AST used to cost as much as parsing.

const isToken = (e: CstElement): e is IToken => (e as IToken).tokenType !== undefined;
const isPresent = (t: IToken) => !t.isInsertedInRecovery && Number.isFinite(t.startOffset);

const childList = (node: CstNode | undefined, key: string): CstElement[] | undefined => (node?.children as Children | undefined)?.[key];

/** The tokens under `key` that are really in the text (not inserted by recovery). */
function tokens(node: CstNode | undefined, key: string): IToken[] {
  const list = childList(node, key);
  const out: IToken[] = [];
  if (list) for (const e of list) if (isToken(e) && isPresent(e)) out.push(e);
  return out;
}

/** The first token under `key` that is really in the text. */
function token(node: CstNode | undefined, key: string): IToken | undefined {
  const list = childList(node, key);
  if (list) for (const e of list) if (isToken(e) && isPresent(e)) return e;
  return undefined;
}

function nodes(node: CstNode | undefined, key: string): CstNode[] {
  const list = childList(node, key);
  const out: CstNode[] = [];
  if (list) for (const e of list) if (!isToken(e) && hasLocation(e)) out.push(e);
  return out;
}

function child(node: CstNode | undefined, key: string): CstNode | undefined {
  const list = childList(node, key);
  if (list) for (const e of list) if (!isToken(e) && hasLocation(e)) return e;
  return undefined;
}

function hasLocation(node: CstNode): boolean {
  return node.location !== undefined && Number.isFinite(node.location.startOffset);
}

const tokenSpan = (t: IToken): A.Span => ({ start: t.startOffset, end: t.endOffset! + 1 });

function spanOf(node: CstNode): A.Span {
  const loc = node.location;
  if (!loc || !Number.isFinite(loc.startOffset)) return { start: 0, end: 0 };
  const end = Number.isFinite(loc.endOffset) ? loc.endOffset! + 1 : loc.startOffset;
  return { start: loc.startOffset, end: Math.max(end, loc.startOffset) };
}

/**
 * Sub-nodes stored under several keys, back in source order. The keys are rule names without labels, so each
 * node's `name` tells which key it came from. Ties keep the order of `keys` (a stable insertion sort; the lists
 * are short and usually already in order).
 */
function inOrder(node: CstNode, keys: readonly string[]): CstNode[] {
  const all: CstNode[] = [];
  for (const key of keys) {
    const list = childList(node, key);
    if (list) for (const e of list) if (!isToken(e) && hasLocation(e)) all.push(e);
  }
  for (let i = 1; i < all.length; i++) {
    const it = all[i];
    const at = it.location!.startOffset;
    let j = i - 1;
    while (j >= 0 && all[j].location!.startOffset > at) {
      all[j + 1] = all[j];
      j--;
    }
    all[j + 1] = it;
  }
  return all;
}

const flowMemberKeys = ['imageDecl', 'paramDecl', 'stepDecl'] as const;
const stepMemberKeys = ['imageDecl', 'inDecl', 'outDecl', 'passDecl', 'runDecl', 'scriptDecl', 'nextClause'] as const;

export class AstBuilder {
  readonly diagnostics: Diagnostic[] = [];
  /** Steps already built by `takeStep`, by their (since emptied) CST node. */
  private readonly builtSteps = new Map<CstNode, A.StepDecl>();

  /**
   * Builds a step as soon as the parser has finished it, then empties its CST node: a large file's CST then never
   * exists whole, and its nodes die young instead of being promoted by the garbage collector. `stepDecl` later
   * returns the step built here. The node keeps its location, which the parent's span was computed from.
   */
  takeStep(node: CstNode): void {
    if (!hasLocation(node)) return;
    this.builtSteps.set(node, this.stepDecl(node));
    (node as { children: CstNode['children'] }).children = {};
  }

  private ident(t: IToken | undefined, owner: A.Span): A.Ident {
    if (!t) return { kind: 'Ident', name: '', span: { start: owner.end, end: owner.end } };
    return { kind: 'Ident', name: t.image, span: tokenSpan(t) };
  }

  private stringLit(t: IToken): A.StringLit {
    const p = t.payload as StringPayload;
    return { kind: 'String', value: p.value, triple: p.triple, offsets: p.offsets, span: tokenSpan(t) };
  }

  file(cst: CstNode, textLength: number, comments: A.Comment[]): A.FileNode {
    return {
      kind: 'File',
      types: nodes(cst, 'typeDecl').map((n) => this.typeDecl(n)),
      flows: nodes(cst, 'flowDecl').map((n) => this.flowDecl(n)),
      comments,
      span: { start: 0, end: textLength },
    };
  }

  typeDecl(node: CstNode): A.TypeDecl {
    const span = spanOf(node);
    return { kind: 'TypeDecl', name: this.ident(token(node, 'name'), span), fields: nodes(node, 'field').map((f) => this.field(f)), span };
  }

  field(node: CstNode): A.FieldDecl {
    const span = spanOf(node);
    return { kind: 'Field', name: this.ident(token(node, 'name'), span), type: this.typeExpr(child(node, 'typeExpr')), span };
  }

  typeExpr(node: CstNode | undefined): A.TypeExpr | undefined {
    if (!node) return undefined;
    const span = spanOf(node);
    let result: A.TypeExpr;
    const name = token(node, 'name');
    const list = token(node, 'LBracket');
    const map = token(node, 'LCurly');
    if (name) result = { kind: 'NamedType', name: this.ident(name, span), span: tokenSpan(name) };
    else if (list) {
      const end = token(node, 'RBracket');
      result = { kind: 'ListType', element: this.typeExpr(child(node, 'list')), span: { start: list.startOffset, end: end ? end.endOffset! + 1 : span.end } };
    } else if (map) {
      const end = token(node, 'RCurly');
      result = { kind: 'MapType', value: this.typeExpr(child(node, 'map')), span: { start: map.startOffset, end: end ? end.endOffset! + 1 : span.end } };
    } else return undefined;
    const questions = tokens(node, 'Question');
    if (questions.length > 0) result = { kind: 'OptionalType', inner: result, span: { start: result.span.start, end: questions[0].endOffset! + 1 } };
    if (questions.length > 1) {
      const extra = questions.slice(1);
      this.diagnostics.push(diagnostic('syntax-error', { start: extra[0].startOffset, end: extra[extra.length - 1].endOffset! + 1 }, `Expecting a type to end after its \`?\` but found ${extra.length === 1 ? 'another `?`' : `${extra.length} more`}: a type can be optional only once.`));
    }
    return result;
  }

  decorator(node: CstNode): A.Decorator {
    const span = spanOf(node);
    return { kind: 'Decorator', name: this.ident(token(node, 'name'), span), args: nodes(node, 'arg').map((a) => this.arg(a)), span };
  }

  arg(node: CstNode): A.DecoratorArg {
    const span = spanOf(node);
    const key = token(node, 'key');
    return { kind: 'Arg', name: key ? this.key(key) : undefined, value: this.expr(child(node, 'expr')), span };
  }

  /** An object or argument key: a name, or a string whose decoded value is the name. */
  private key(t: IToken): A.Ident {
    if (t.tokenType.name === 'String') return { kind: 'Ident', name: (t.payload as StringPayload).value, span: tokenSpan(t) };
    return this.ident(t, tokenSpan(t));
  }

  expr(node: CstNode | undefined): A.Expr | undefined {
    if (!node) return undefined;
    const lit = token(node, 'literal');
    if (lit) return this.literal(lit);
    const list = child(node, 'list');
    if (list) return { kind: 'List', items: nodes(list, 'expr').flatMap((e) => this.expr(e) ?? []), span: spanOf(list) };
    const object = child(node, 'object');
    if (object) {
      const entries = nodes(object, 'entry').map((e): A.ObjectEntry => {
        const span = spanOf(e);
        const key = token(e, 'key');
        return { kind: 'Entry', key: key ? this.key(key) : this.ident(undefined, span), value: this.expr(child(e, 'expr')), span };
      });
      return { kind: 'Object', entries, span: spanOf(object) };
    }
    return undefined;
  }

  private literal(t: IToken): A.Expr {
    const span = tokenSpan(t);
    switch (t.tokenType.name) {
      case 'String':
        return this.stringLit(t);
      case 'Int':
        return { kind: 'Int', value: (t.payload as NumberPayload).value, span };
      case 'Float':
        return { kind: 'Float', value: Number((t.payload as NumberPayload).value), span };
      case 'Size':
        return { kind: 'Size', value: Number((t.payload as NumberPayload).value), unit: (t.payload as NumberPayload).unit!, span };
      case 'Duration':
        return { kind: 'Duration', value: Number((t.payload as NumberPayload).value), unit: (t.payload as NumberPayload).unit!, span };
    }
    if (t.image === 'true' || t.image === 'false') return { kind: 'Bool', value: t.image === 'true', span };
    if (t.image === 'null') return { kind: 'Null', span };
    return { kind: 'Name', name: { kind: 'Ident', name: t.image, span }, span };
  }

  flowDecl(node: CstNode): A.FlowDecl {
    const span = spanOf(node);
    const members: A.FlowMember[] = [];
    for (const m of inOrder(node, flowMemberKeys)) {
      if (m.name === 'imageDecl') members.push(this.imageDecl(m));
      else if (m.name === 'paramDecl') members.push(this.paramDecl(m));
      else members.push(this.stepDecl(m));
    }
    return { kind: 'Flow', decorators: nodes(node, 'decorator').map((d) => this.decorator(d)), name: this.ident(token(node, 'name'), span), members, span };
  }

  imageDecl(node: CstNode): A.ImageDecl {
    const value = token(node, 'value');
    return { kind: 'Image', value: value ? this.stringLit(value) : undefined, span: spanOf(node) };
  }

  paramDecl(node: CstNode): A.ParamDecl {
    const span = spanOf(node);
    return {
      kind: 'Param',
      name: this.ident(token(node, 'name'), span),
      type: this.typeExpr(child(node, 'typeExpr')),
      default: this.expr(child(node, 'expr')),
      span,
    };
  }

  stepDecl(node: CstNode): A.StepDecl {
    const built = this.builtSteps.get(node);
    if (built) return built;
    const span = spanOf(node);
    const members: A.StepMember[] = [];
    for (const m of inOrder(node, stepMemberKeys)) {
      switch (m.name) {
        case 'imageDecl':
          members.push(this.imageDecl(m));
          break;
        case 'inDecl':
          members.push(this.inDecl(m));
          break;
        case 'outDecl':
          members.push(this.outDecl(m));
          break;
        case 'passDecl':
          members.push(this.passDecl(m));
          break;
        case 'runDecl':
          members.push(this.runDecl(m));
          break;
        case 'scriptDecl':
          members.push(this.scriptDecl(m));
          break;
        default: {
          const next = this.nextClause(m);
          if (next) members.push(next);
        }
      }
    }
    const join = token(node, 'join');
    return {
      kind: 'Step',
      decorators: nodes(node, 'decorator').map((d) => this.decorator(d)),
      join: join ? { kind: 'JoinMarker', span: tokenSpan(join) } : undefined,
      name: this.ident(token(node, 'name'), span),
      members,
      span,
    };
  }

  inDecl(node: CstNode): A.InDecl {
    const span = spanOf(node);
    const from = token(node, 'from');
    return { kind: 'In', name: this.ident(token(node, 'name'), span), type: this.typeExpr(child(node, 'typeExpr')), from: from ? this.ident(from, span) : undefined, span };
  }

  outDecl(node: CstNode): A.OutDecl {
    const span = spanOf(node);
    return { kind: 'Out', name: this.ident(token(node, 'name'), span), type: this.typeExpr(child(node, 'typeExpr')), span };
  }

  passDecl(node: CstNode): A.PassDecl {
    const span = spanOf(node);
    return { kind: 'Pass', all: token(node, 'all') !== undefined, names: tokens(node, 'names').map((t) => this.ident(t, span)), span };
  }

  runDecl(node: CstNode): A.Body {
    const span = spanOf(node);
    if (token(node, 'LBracket')) return { kind: 'RunArgv', args: tokens(node, 'argv').map((t) => this.stringLit(t)), span };
    const command = token(node, 'command');
    return { kind: 'RunShell', command: command ? this.stringLit(command) : undefined, span };
  }

  scriptDecl(node: CstNode): A.Script {
    const source = token(node, 'source');
    const language = token(node, 'language')?.image === 'sh' ? 'sh' : 'python';
    return { kind: 'Script', language, source: source ? this.stringLit(source) : undefined, span: spanOf(node) };
  }

  nextClause(node: CstNode): A.NextClause | undefined {
    const span = spanOf(node);
    const switchNode = child(node, 'switchBody');
    if (switchNode) return this.nextSwitch(switchNode, span);
    const targets = tokens(node, 'target');
    if (token(node, 'Kw_foreach')) {
      if (targets.length > 1) {
        this.diagnostics.push(diagnostic('syntax-error', { start: targets[0].startOffset, end: targets[targets.length - 1].endOffset! + 1 }, `Expecting one step before \`foreach\` but found ${targets.length}: a foreach fans out to a single step.`));
      }
      return {
        kind: 'NextForeach',
        target: this.ident(targets[0], span),
        item: this.ident(token(node, 'item'), span),
        list: this.ident(token(node, 'list'), span),
        span,
      };
    }
    return { kind: 'NextSteps', targets: targets.map((t) => this.ident(t, span)), span };
  }

  private nextSwitch(node: CstNode, span: A.Span): A.NextSwitch {
    const result: A.NextSwitch = {
      kind: 'NextSwitch',
      subject: this.ident(token(node, 'subject'), span),
      cases: [],
      otherwise: undefined,
      otherwiseSpan: undefined,
      span,
    };
    for (const arm of nodes(node, 'switchArm')) {
      const armSpan = spanOf(arm);
      const valueTok = token(arm, 'value');
      const target = this.ident(token(arm, 'target'), armSpan);
      if (valueTok?.image === 'else' && valueTok.tokenType.name === 'Identifier') {
        if (result.otherwise) {
          this.diagnostics.push(diagnostic('syntax-error', { start: valueTok.startOffset, end: valueTok.endOffset! + 1 }, 'Expecting one `else` arm in a switch but found a second one.'));
        } else {
          result.otherwise = target;
          result.otherwiseSpan = armSpan;
        }
        continue;
      }
      let value: A.SwitchCase['value'];
      if (valueTok) {
        const lit = this.literal(valueTok);
        if (lit.kind === 'String' || lit.kind === 'Int' || lit.kind === 'Bool') value = lit;
        else {
          this.diagnostics.push(diagnostic('syntax-error', { start: valueTok.startOffset, end: valueTok.endOffset! + 1 }, `Expecting a string, an integer, \`true\`, \`false\` or \`else\` but found \`${valueTok.image}\`.`));
        }
      }
      result.cases.push({ kind: 'Case', value, target, span: armSpan });
    }
    return result;
  }
}
