/**
 * Folding ranges: flows, record types, steps, multi-line strings (inline scripts), switch blocks, runs of line
 * comments and block comments, and `// #region` markers. The server turns offsets into lines and drops ranges
 * that span a single line.
 */
import { isLineBreak } from '../../diagnostics/line-index.ts';
import type { IdeDocument } from './document.ts';
import type { FoldingRange } from './types.ts';

export function getFoldingRanges(doc: IdeDocument): FoldingRange[] {
  const file = doc.parsed.file;
  const out: FoldingRange[] = [];
  const lines = doc.lines;
  const multiLine = (start: number, end: number) => lines.position(start).line < lines.position(end).line;
  const add = (start: number, end: number, kind?: FoldingRange['kind']) => {
    if (end > start && multiLine(start, end)) out.push({ start, end, kind });
  };
  for (const t of file.types ?? []) add(t.span.start, t.span.end);
  for (const flow of file.flows ?? []) {
    add(flow.span.start, flow.span.end);
    for (const m of flow.members ?? []) {
      if (m.kind !== 'Step') continue;
      add(m.span.start, m.span.end);
      for (const sm of m.members ?? []) {
        if (sm.kind === 'Script' && sm.source) add(sm.span.start, sm.source.span.end);
        else if (sm.kind === 'RunShell' && sm.command) add(sm.span.start, sm.command.span.end);
        else if (sm.kind === 'RunArgv') add(sm.span.start, sm.span.end);
        else if (sm.kind === 'NextSwitch') add(sm.span.start, sm.span.end);
      }
    }
  }
  // Runs of line comments on consecutive lines, and block comments.
  const comments = file.comments ?? [];
  const regions: number[] = [];
  for (let i = 0; i < comments.length; i++) {
    const c = comments[i];
    if (/^\/\/\s*#region\b/.test(c.text)) {
      regions.push(c.span.start);
      continue;
    }
    if (/^\/\/\s*#endregion\b/.test(c.text)) {
      const start = regions.pop();
      if (start !== undefined) add(start, c.span.end, 'region');
      continue;
    }
    if (c.text.startsWith('/*')) {
      add(c.span.start, c.span.end, 'comment');
      continue;
    }
    let j = i;
    while (
      j + 1 < comments.length &&
      comments[j + 1].text.startsWith('//') &&
      !/^\/\/\s*#(end)?region\b/.test(comments[j + 1].text) &&
      lines.position(comments[j + 1].span.start).line === lines.position(comments[j].span.start).line + 1 &&
      isLineStart(doc.text, comments[j + 1].span.start)
    )
      j++;
    if (j > i && isLineStart(doc.text, c.span.start)) add(c.span.start, comments[j].span.end, 'comment');
    i = j;
  }
  return out.sort((a, b) => a.start - b.start || b.end - a.end);
}

/** True when only whitespace precedes the offset on its line (a comment on a line of its own). */
function isLineStart(text: string, offset: number): boolean {
  for (let i = offset - 1; i >= 0; i--) {
    const c = text.charCodeAt(i);
    if (isLineBreak(c)) return true;
    if (c !== 32 && c !== 9) return false;
  }
  return true;
}
