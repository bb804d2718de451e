/**
 * Converts between offsets and line/column positions, with the one line model of the CLI, the language server and
 * the lexer: a line ends at `\n`, `\r\n` or a lone `\r` (as in LSP and VS Code). Columns count UTF-16 code
 * units (what LSP uses by default); both are 0-based here, the CLI adds one.
 */
export interface Position {
  line: number;
  character: number;
}

/** True for `\n` and `\r`, the code units that end a line (`\r\n` is one break). */
export const isLineBreak = (code: number): boolean => code === 10 || code === 13;

/** The offset just past the line break starting at `offset` (which must be `\n` or `\r`). */
export const afterLineBreak = (text: string, offset: number): number => (text.charCodeAt(offset) === 13 && text.charCodeAt(offset + 1) === 10 ? offset + 2 : offset + 1);

/** The offset of the start of the line holding `offset`. */
export function lineStartAt(text: string, offset: number): number {
  let i = Math.min(offset, text.length);
  while (i > 0 && !isLineBreak(text.charCodeAt(i - 1))) i--;
  return i;
}

/** The offset of the end of the content of the line holding `offset` (before its line break). */
export function lineEndAt(text: string, offset: number): number {
  let i = Math.max(0, offset);
  while (i < text.length && !isLineBreak(text.charCodeAt(i))) i++;
  return i;
}

export class LineIndex {
  /** Offsets at which each line starts. */
  readonly lineStarts: number[];

  constructor(readonly text: string) {
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      }
    }
    this.lineStarts = starts;
  }

  /** The 0-based position of an offset (clamped into the text). */
  position(offset: number): Position {
    const off = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= off) lo = mid;
      else hi = mid - 1;
    }
    // Between the `\r` and `\n` of a break is still the end of the line (as clients count it).
    return { line: lo, character: Math.min(off, this.lineEnd(lo)) - this.lineStarts[lo] };
  }

  /** The offset of a 0-based position (clamped to the line's end and the text). */
  offset(pos: Position): number {
    if (pos.line < 0) return 0;
    if (pos.line >= this.lineStarts.length) return this.text.length;
    const start = this.lineStarts[pos.line];
    const end = this.lineEnd(pos.line);
    return Math.min(start + Math.max(0, pos.character), end);
  }

  /** The offset of the end of a line's content (before its `\n`, `\r\n` or `\r`). */
  lineEnd(line: number): number {
    if (line + 1 >= this.lineStarts.length) return this.text.length;
    let end = this.lineStarts[line + 1] - 1;
    if (this.text.charCodeAt(end) === 10 && end > this.lineStarts[line] && this.text.charCodeAt(end - 1) === 13) end--;
    return end;
  }

  /** The text of a 0-based line without its line break. */
  lineText(line: number): string {
    return this.text.slice(this.lineStarts[line], this.lineEnd(line));
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }
}
