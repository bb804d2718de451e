/**
 * Format Document: the same formatter as `flowc fmt`, answered as one edit covering only what changed (the
 * common prefix and suffix are left alone, so the cursor and folds outside the change stay put).
 * A file with syntax errors is not formatted (no edits), exactly like `flowc fmt`.
 */
import { formatText } from '../format.ts';
import type { IdeDocument } from './document.ts';
import type { TextEdit } from './types.ts';

export function getFormatting(doc: IdeDocument): TextEdit[] {
  if (doc.tooLarge) return [];
  const res = formatText(doc.text);
  if (res.diagnostics.length > 0 || res.text === doc.text) return [];
  return [minimalEdit(doc.text, res.text)];
}

export function minimalEdit(before: string, after: string): TextEdit {
  let start = 0;
  const max = Math.min(before.length, after.length);
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let endBefore = before.length;
  let endAfter = after.length;
  while (endBefore > start && endAfter > start && before.charCodeAt(endBefore - 1) === after.charCodeAt(endAfter - 1)) {
    endBefore--;
    endAfter--;
  }
  // Never split a surrogate pair or a CRLF between the kept and the replaced text.
  while (start > 0 && (isLowSurrogate(before.charCodeAt(start)) || (before[start] === '\n' && before[start - 1] === '\r'))) start--;
  return { start, end: endBefore, newText: after.slice(start, endAfter) };
}

const isLowSurrogate = (c: number) => c >= 0xdc00 && c <= 0xdfff;
