/**
 * Syntax diagnostics: reported by `grammar/` (the lexer and the parser) before any name or type is looked at.
 */
import type { CatalogPart } from '../catalog.ts';

export const syntaxCodes = {
  'syntax-error': {
    severity: 'error',
    summary: 'The text does not follow the grammar of a flow.',
    doc: [
      'The parser expected something else at this point, for example a `}` to close a step or a `:` before a type.',
      'The message names what was expected and what was found.',
      'The parser recovers and goes on, so the rest of the file is still checked; fix the first error first, since a later one may follow from it.',
    ].join('\n'),
    example: 'flow Broken {\n  step start {\n    out x int\n    next end\n  }\n  step end {}\n}\n',
  },
  'unterminated-string': {
    severity: 'error',
    summary: 'A string literal is not closed.',
    doc: [
      'A `"` string must end on the line where it starts; a `"""` string may span lines but must be closed with `"""`.',
      'Use a triple-quoted string for text over several lines, such as an inline script.',
    ].join('\n'),
    example: 'flow Broken {\n  step start {\n    python "print(1)\n    next end\n  }\n  step end {}\n}\n',
  },
  'invalid-escape': {
    severity: 'error',
    summary: 'A backslash escape in a string is not one of the known escapes.',
    doc: [
      'Strings know the escapes `\\n`, `\\t`, `\\r`, `\\\\`, `\\"`, `\\\'`, `\\0`, `\\uXXXX` (four hex digits) and `\\u{HEX}` (up to `10FFFF`).',
      'To write a backslash itself, double it: `"C:\\\\data"`.',
      'The string is kept as written, so the rest of the file is still checked.',
    ].join('\n'),
    example: 'flow Broken {\n  step start {\n    run "grep \\d data.txt"\n    next end\n  }\n  step end {}\n}\n',
  },
  'invalid-character': {
    severity: 'error',
    summary: 'A character that cannot start any token.',
    doc: [
      'The character is not part of the language outside strings and comments, for example `#` or `$`.',
      'Comments start with `//` or `/*`; anything else belongs in a string.',
    ].join('\n'),
    example: 'flow Broken {\n  # a comment in the wrong syntax\n  step start { next end }\n  step end {}\n}\n',
  },
  'unknown-unit': {
    severity: 'error',
    summary: 'A number is followed by letters that are not a size or duration unit.',
    doc: [
      'Sizes are written with a unit directly after the number: `B`, `KB`, `MB`, `GB`, `TB` (powers of 1000) or `KiB`, `MiB`, `GiB`, `TiB` (powers of 1024), e.g. `512MiB`.',
      'Durations use `ms`, `s`, `m`, `h` or `d`, e.g. `30s` or `2h`.',
      'Units are case-sensitive: `20Gb` is an error, write `20GB` or `20GiB`.',
    ].join('\n'),
    example: '@resources(memory: 20Gb)\nflow Broken {\n  step start { next end }\n  step end {}\n}\n',
  },
  'int-out-of-range': {
    severity: 'error',
    summary: 'An integer literal outside the 64-bit range of `int`.',
    doc: [
      '`int` is a 64-bit signed integer everywhere (the checker, the IR, every target and client): from',
      '-9223372036854775808 to 9223372036854775807. Inside that range a literal is kept exactly, also beyond 2^53',
      'where a double would round it. A larger literal is an error: write a float (`1e20`) or a string if you mean one.',
    ].join('\n'),
    example: 'flow Big {\n  param n: int = 9223372036854775808\n  step start { next end }\n  step end {}\n}\n',
  },
  'unterminated-comment': {
    severity: 'error',
    summary: 'A `/*` block comment is not closed with `*/`.',
    doc: 'Everything after the `/*` is read as comment. Close it with `*/`, or use `//` comments, which end at the line break.',
    example: 'flow Broken {\n  /* the start step\n  step start { next end }\n  step end {}\n}\n',
  },
  'nesting-too-deep': {
    severity: 'error',
    summary: 'Brackets are nested too deeply to parse.',
    doc: [
      'Lists, objects and types may nest up to 100 levels of `(`, `[` and `{`.',
      'Deeper nesting is almost certainly a generated or corrupted file; the part after the limit is ignored.',
    ].join('\n'),
    example: `flow Broken {\n  param p: json = ${'['.repeat(101)}\n}\n`,
  },
  'too-many-errors': {
    severity: 'error',
    summary: 'The file has so many syntax errors that checking stopped.',
    doc: [
      'After 100 lexical errors or 50 parse errors flowc stops reading the file: it is most likely not a flow file (binary data, another language), or an early mistake such as an unclosed string confuses everything after it.',
      'Fix the first errors and check again.',
    ].join('\n'),
    example: `flow Broken {\n${'  # \n'.repeat(101)}}\n`,
  },
} satisfies CatalogPart;
