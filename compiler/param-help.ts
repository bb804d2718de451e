/**
 * The help text of a parameter, from the comments around its declaration: a `//` comment at the end of its line
 * (`param epochs: int = 10  // passes over the data`), else the comment right above it (`//` lines, or one
 * `/* ... *\/` block, with no blank line between it and the parameter). Whitespace is collapsed; a leading `*` on
 * block comment lines is dropped. Pure: the file's text and the declaration's span go in.
 */
import type { Span } from '../diagnostics/types.ts';

export function paramHelp(text: string, span: Span): string | undefined {
  const lineEnd = text.slice(span.end).search(/\r\n|\r|\n/);
  const rest = text.slice(span.end, lineEnd < 0 ? undefined : span.end + lineEnd);
  const trailing = /^\s*;?\s*\/\/(.*)$/.exec(rest);
  if (trailing) return clean(trailing[1]);
  const before = text.slice(0, span.start);
  const lineStart = Math.max(before.lastIndexOf('\n'), before.lastIndexOf('\r')) + 1;
  if (before.slice(lineStart).trim() !== '') return undefined;
  const lines = before.slice(0, lineStart).split(/\r\n|\r|\n/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const above: string[] = [];
  while (lines.length > 0) {
    const line = lines[lines.length - 1].trim();
    if (!line.startsWith('//')) break;
    above.unshift(line.slice(2));
    lines.pop();
  }
  if (above.length > 0) return clean(above.join(' '));
  const block = /\/\*([\s\S]*?)\*\/\s*$/.exec(before.slice(0, lineStart));
  if (block && !/\n\s*\n\s*$/.test(before.slice(0, lineStart).slice(block.index + block[0].trimEnd().length))) {
    return clean(block[1].split(/\r\n|\r|\n/).map((l) => l.replace(/^\s*\*(?!\/)/, '')).join(' '));
  }
  return undefined;
}

function clean(text: string): string | undefined {
  const t = text.replace(/^\/+/, '').replace(/\s+/g, ' ').trim();
  return t === '' ? undefined : t;
}
