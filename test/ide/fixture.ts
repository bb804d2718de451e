/**
 * Inline fixtures for editor-feature tests: `/*|*\/` marks the cursor and `[|…|]` marks expected ranges; both
 * are stripped before analysis. `markRanges` prints a text with ranges marked the same way, so a test compares
 * what it sees with what it wrote.
 */
import { createIdeDocument, type IdeDocument } from '../../compiler/ide/document.ts';
import type { Span } from '../../compiler/ide/types.ts';

const cursorMarker = '/*|*/';

export interface Fixture {
  text: string;
  /** The cursor offset (-1 without a cursor marker). */
  cursor: number;
  /** Ranges marked with `[|…|]`, in source order. */
  ranges: Span[];
  doc: IdeDocument;
}

export function fixture(input: string): Fixture {
  let text = '';
  let cursor = -1;
  const ranges: Span[] = [];
  const open: number[] = [];
  for (let i = 0; i < input.length; ) {
    if (input.startsWith(cursorMarker, i)) {
      cursor = text.length;
      i += cursorMarker.length;
    } else if (input.startsWith('[|', i)) {
      open.push(text.length);
      i += 2;
    } else if (input.startsWith('|]', i) && open.length > 0) {
      ranges.push({ start: open.pop()!, end: text.length });
      i += 2;
    } else {
      text += input[i++];
    }
  }
  ranges.sort((a, b) => a.start - b.start);
  return { text, cursor, ranges, doc: createIdeDocument(text, { file: 'test.flow' }) };
}

/** The text with each span wrapped in `[|…|]` (spans must not overlap). */
export function markRanges(text: string, spans: readonly Span[]): string {
  const sorted = [...spans].sort((a, b) => b.start - a.start);
  let out = text;
  for (const s of sorted) out = out.slice(0, s.start) + '[|' + out.slice(s.start, s.end) + '|]' + out.slice(s.end);
  return out;
}

/** Applies non-overlapping edits. */
export function applyEdits(text: string, edits: readonly { start: number; end: number; newText: string }[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

/** The input without the cursor marker (ranges kept): what a ranges-marking check expects back. */
export const withoutCursor = (input: string) => input.replace(cursorMarker, '');
