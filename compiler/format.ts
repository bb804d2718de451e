/**
 * The formatter: one canonical layout for `.flow` files (what `flowc fmt` and the editor's "Format Document" do).
 *
 * Layout: two-space indentation, one member per line, each decorator on its own line, a blank line between
 * top-level declarations and around steps, at most one blank line kept where the user had blank lines,
 * `{}` for an empty block, every comment kept (own-line comments on their own line at the block's indentation,
 * trailing comments two spaces after the code of their line).
 * String literals are re-emitted from their source text, never re-escaped; a triple-quoted string whose quotes
 * sit on their own lines is re-indented one level below its member, keeping the relative indentation of its lines.
 * Invariants: the result parses to the same AST (spans aside), and formatting it again changes nothing.
 * A file with syntax errors is never formatted: it is returned unchanged with the diagnostics.
 * A member with a comment inside it (say, between decorator arguments) is kept as written, so no comment moves.
 */
import type * as A from '../grammar/ast.ts';
import type { Diagnostic } from '../diagnostics/types.ts';
import { afterLineBreak, isLineBreak } from '../diagnostics/line-index.ts';
import { parse } from '../grammar/parse.ts';
import { strippedWidth, tripleLayout } from '../grammar/strings.ts';

export interface FormatResult {
  /** The formatted text, or the input unchanged when it has syntax errors. */
  text: string;
  /** Syntax diagnostics of the input (empty when it was formatted). */
  diagnostics: Diagnostic[];
}

const indentUnit = '  ';

/** Formats a whole file. Never throws; never formats a file with syntax errors. */
export function formatText(text: string): FormatResult {
  const { file, diagnostics } = parse(text);
  if (diagnostics.some((d) => d.severity === 'error')) return { text, diagnostics };
  return { text: new Printer(text, file.comments).file(file), diagnostics: [] };
}

class Printer {
  private readonly out: string[] = [];
  /** Index of the next comment not yet printed. */
  private next = 0;
  /** Source offset just past the last printed node or comment (for blank-line detection). */
  private lastEnd = 0;

  constructor(
    private readonly text: string,
    private readonly comments: A.Comment[],
  ) {
    if (text.charCodeAt(0) === 0xfeff) this.lastEnd = 1;
  }

  file(file: A.FileNode): string {
    const decls: (A.TypeDecl | A.FlowDecl)[] = [...file.types, ...file.flows].sort((a, b) => a.span.start - b.span.start);
    decls.forEach((decl, k) => {
      this.leadingComments('', decl.span.start, k > 0);
      if (decl.kind === 'TypeDecl') this.typeDecl(decl, '');
      else this.flowDecl(decl, '');
    });
    this.leadingComments('', this.text.length + 1, decls.length > 0);
    while (this.out.length > 0 && this.out[this.out.length - 1] === '') this.out.pop();
    return this.out.length === 0 ? '' : this.out.join('\n') + '\n';
  }

  // -------------------------------------------------------------------------------------------
  // Lines and comments

  private blankLineBetween(from: number, to: number): boolean {
    let breaks = 0;
    for (let i = from; i < to && i < this.text.length; i++) {
      if (!isLineBreak(this.text.charCodeAt(i))) continue;
      if (++breaks >= 2) return true;
      i = afterLineBreak(this.text, i) - 1;
    }
    return false;
  }

  private pushBlank(): void {
    if (this.out.length > 0 && this.out[this.out.length - 1] !== '') this.out.push('');
  }

  /**
   * Prints the own-line comments before `offset`, then the separation before the node at `offset`:
   * a blank line first when `forceBlank` (before any of those comments), and elsewhere where the source had one
   * (but never at the start of a block, `firstInBlock`, or before its closing brace, `beforeClose`).
   */
  private leadingComments(indent: string, offset: number, forceBlank: boolean, firstInBlock = false, beforeClose = false): void {
    let first = true;
    while (this.next < this.comments.length && this.comments[this.next].span.start < offset) {
      const comment = this.comments[this.next++];
      if ((first && forceBlank) || (!(first && firstInBlock) && this.blankLineBetween(this.lastEnd, comment.span.start))) this.pushBlank();
      this.pushCommentLines(indent, comment);
      this.lastEnd = comment.span.end;
      first = false;
    }
    if (offset <= this.text.length && !beforeClose) {
      if ((first && forceBlank) || (!(first && firstInBlock) && this.blankLineBetween(this.lastEnd, offset))) this.pushBlank();
    }
  }

  private pushCommentLines(indent: string, comment: A.Comment): void {
    // A block comment over several lines is kept as written after its first line.
    this.out.push(indent + comment.text);
  }

  /**
   * Prints `content` (which may hold line breaks already indented) as the next line, followed by the comments
   * that trail `end` on the same source line.
   */
  private line(indent: string, content: string, end: number): void {
    let result = indent + content;
    while (this.next < this.comments.length) {
      const comment = this.comments[this.next];
      // Trailing means: on the same source line, with nothing but separators between the code and the comment.
      if (comment.span.start < end || !/^[ \t,;]*$/.test(this.text.slice(end, comment.span.start))) break;
      result += '  ' + comment.text;
      end = comment.span.end;
      this.next++;
    }
    this.out.push(result);
    this.lastEnd = Math.max(this.lastEnd, end);
  }

  /** True when a comment starts inside `span` (and it has not been printed yet). */
  private hasCommentInside(span: A.Span): boolean {
    const c = this.comments[this.next];
    return c !== undefined && c.span.start > span.start && c.span.start < span.end;
  }

  /** Prints a node as written (used when a comment sits inside it), marking its comments as printed. */
  private verbatim(span: A.Span): string {
    while (this.next < this.comments.length && this.comments[this.next].span.start < span.end) this.next++;
    return this.text.slice(span.start, span.end);
  }

  /** Prints a block: `head {`, its items, `}`, or `head {}` when empty. */
  private block<T extends { span: A.Span }>(indent: string, head: string, headEnd: number, span: A.Span, items: T[], item: (it: T, indent: string) => void, blankAround: (it: T) => boolean): void {
    const inner = indent + indentUnit;
    if (items.length === 0 && !this.hasCommentInside({ start: headEnd, end: span.end })) {
      this.line(indent, `${head} {}`, span.end);
      return;
    }
    this.line(indent, `${head} {`, this.afterChar(headEnd, '{'));
    items.forEach((it, k) => {
      const forceBlank = k > 0 && (blankAround(it) || blankAround(items[k - 1]));
      this.leadingComments(inner, it.span.start, forceBlank, k === 0);
      item(it, inner);
    });
    const close = span.end - 1;
    this.leadingComments(inner, close, false, items.length === 0, true);
    this.line(indent, '}', span.end);
  }

  // -------------------------------------------------------------------------------------------
  // Declarations

  private typeDecl(decl: A.TypeDecl, indent: string): void {
    this.block(
      indent,
      `type ${decl.name.name}`,
      decl.name.span.end,
      decl.span,
      decl.fields,
      (field, inner) => this.line(inner, this.hasCommentInside(field.span) ? this.verbatim(field.span) : `${field.name.name}: ${this.type(field.type)}`, field.span.end),
      () => false,
    );
  }

  private decorators(decorators: A.Decorator[], indent: string): void {
    decorators.forEach((d, k) => {
      if (k > 0) this.leadingComments(indent, d.span.start, false);
      this.line(indent, this.hasCommentInside(d.span) ? this.verbatim(d.span) : this.decorator(d), d.span.end);
    });
  }

  private flowDecl(decl: A.FlowDecl, indent: string): void {
    this.decorators(decl.decorators, indent);
    if (decl.decorators.length > 0) this.leadingComments(indent, decl.name.span.start, false);
    this.block(indent, `flow ${decl.name.name}`, decl.name.span.end, decl.span, decl.members, (m, inner) => this.flowMember(m, inner), (m) => m.kind === 'Step');
  }

  private flowMember(member: A.FlowMember, indent: string): void {
    if (member.kind === 'Step') return this.stepDecl(member, indent);
    if (this.hasCommentInside(member.span)) return this.line(indent, this.verbatim(member.span), member.span.end);
    if (member.kind === 'Image') return this.line(indent, `image ${this.string(member.value, indent)}`, member.span.end);
    let content = `param ${member.name.name}: ${this.type(member.type)}`;
    if (member.default) content += ` = ${this.expr(member.default, indent)}`;
    this.line(indent, content, member.span.end);
  }

  private stepDecl(step: A.StepDecl, indent: string): void {
    this.decorators(step.decorators, indent);
    if (step.decorators.length > 0) this.leadingComments(indent, step.name.span.start, false);
    this.block(indent, `${step.join ? 'join ' : ''}step ${step.name.name}`, step.name.span.end, step.span, step.members, (m, inner) => this.stepMember(m, inner), () => false);
  }

  private stepMember(member: A.StepMember, indent: string): void {
    if (member.kind === 'NextSwitch') return this.nextSwitch(member, indent);
    if (this.hasCommentInside(member.span)) return this.line(indent, this.verbatim(member.span), member.span.end);
    this.line(indent, this.simpleMember(member, indent), member.span.end);
  }

  private simpleMember(member: Exclude<A.StepMember, A.NextSwitch>, indent: string): string {
    switch (member.kind) {
      case 'Image':
        return `image ${this.string(member.value, indent)}`;
      case 'In': {
        let content = `in ${member.name.name}`;
        if (member.type) content += `: ${this.type(member.type)}`;
        if (member.from) content += ` from ${member.from.name}`;
        return content;
      }
      case 'Out':
        return `out ${member.name.name}: ${this.type(member.type)}`;
      case 'Pass':
        return `pass ${member.all ? '*' : member.names.map((n) => n.name).join(', ')}`;
      case 'RunShell':
        return `run ${this.string(member.command, indent)}`;
      case 'RunArgv':
        return `run [${member.args.map((a) => this.string(a, indent)).join(', ')}]`;
      case 'Script':
        return `${member.language} ${this.string(member.source, indent)}`;
      case 'NextSteps':
        return `next ${member.targets.map((t) => t.name).join(', ')}`;
      case 'NextForeach':
        return `next ${member.target.name} foreach ${member.item.name} in ${member.list.name}`;
    }
  }

  /** `next switch v { ... }`: on one line when written on one line, else one arm per line (comments kept). */
  private nextSwitch(member: A.NextSwitch, indent: string): void {
    const arms: { text: string; span: A.Span }[] = member.cases.map((c) => ({ text: `${c.value ? this.expr(c.value, indent) : ''} -> ${c.target.name}`, span: c.span }));
    if (member.otherwise && member.otherwiseSpan) arms.push({ text: `else -> ${member.otherwise.name}`, span: member.otherwiseSpan });
    arms.sort((a, b) => a.span.start - b.span.start);
    const head = `next switch ${member.subject.name}`;
    const multiline = this.text.slice(member.subject.span.end, member.span.end).search(/[\r\n]/) >= 0 || this.hasCommentInside(member.span);
    if (arms.length === 0 && !this.hasCommentInside(member.span)) return this.line(indent, `${head} {}`, member.span.end);
    if (!multiline) return this.line(indent, `${head} { ${arms.map((a) => a.text).join(', ')} }`, member.span.end);
    this.line(indent, `${head} {`, this.afterChar(member.subject.span.end, '{'));
    const inner = indent + indentUnit;
    arms.forEach((arm, k) => {
      this.leadingComments(inner, arm.span.start, false, k === 0);
      this.line(inner, arm.text, arm.span.end);
    });
    this.leadingComments(inner, member.span.end - 1, false, arms.length === 0, true);
    this.line(indent, '}', member.span.end);
  }

  /** The offset after `ch` when it follows `offset` (past blanks), else `offset`. */
  private afterChar(offset: number, ch: string): number {
    let i = offset;
    while (i < this.text.length && /\s/.test(this.text[i])) i++;
    return this.text[i] === ch ? i + 1 : offset;
  }

  // -------------------------------------------------------------------------------------------
  // Types, expressions and strings

  private type(type: A.TypeExpr | undefined): string {
    if (!type) return '';
    switch (type.kind) {
      case 'NamedType':
        return type.name.name;
      case 'ListType':
        return `[${this.type(type.element)}]`;
      case 'MapType':
        return `{${this.type(type.value)}}`;
      case 'OptionalType':
        return `${this.type(type.inner)}?`;
    }
  }

  private decorator(d: A.Decorator): string {
    if (d.args.length === 0) return `@${d.name.name}`;
    const args = d.args.map((a) => (a.name ? `${this.source(a.name.span)}: ${this.expr(a.value, '')}` : this.expr(a.value, '')));
    return `@${d.name.name}(${args.join(', ')})`;
  }

  private expr(e: A.Expr | undefined, indent: string): string {
    if (!e) return '';
    switch (e.kind) {
      case 'String':
        return this.string(e, indent);
      case 'List':
        return `[${e.items.map((it) => this.expr(it, indent)).join(', ')}]`;
      case 'Object':
        return e.entries.length === 0 ? '{}' : `{ ${e.entries.map((en) => `${this.source(en.key.span)}: ${this.expr(en.value, indent)}`).join(', ')} }`;
      case 'Name':
        return e.name.name;
      default:
        // Numbers, sizes, durations, booleans and null: as written (`1e3` stays `1e3`).
        return this.source(e.span);
    }
  }

  private source(span: A.Span): string {
    return this.text.slice(span.start, span.end);
  }

  /**
   * A string literal as written. A triple-quoted string whose opening and closing quotes end and start their
   * lines is re-indented: its lines one level deeper than `indent`, the closing quotes at `indent`.
   */
  private string(lit: A.StringLit | undefined, indent: string): string {
    if (!lit) return '""';
    const written = this.source(lit.span);
    if (!lit.triple || !written.endsWith('"""') || lit.span.end - lit.span.start < 6) return written;
    const layout = tripleLayout(this.text, lit.span.start + 3, lit.span.end - 3);
    if (!layout.droppedFirst || !layout.droppedLast) return written;
    const body = indent + indentUnit;
    const lines = layout.lines.map((line) => {
      const rest = this.text.slice(line.start + strippedWidth(this.text, line, layout.indent), line.end);
      return rest === '' ? '' : body + rest;
    });
    return `"""\n${lines.join('\n')}\n${indent}"""`;
  }
}
