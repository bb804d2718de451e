/** Codes about the file's bytes, reported when they are read (by the CLI and the language server), before parsing. */
import type { CatalogPart } from '../catalog.ts';

export const sourceCodes = {
  'invalid-utf8': {
    severity: 'error',
    summary: 'The file is not valid UTF-8.',
    doc: [
      '`.flow` files are read as UTF-8. A byte sequence that is not UTF-8 (often text saved as Latin-1 or Windows-1252, or a binary file) is an error at its byte offset, rather than a replacement character that would end up in a manifest.',
      'Save the file as UTF-8; the message names the bytes and where they are.',
    ].join('\n'),
    example: 'flow F {\n  step start {\n    python "print(\'café\')"  // saved as Latin-1: é is the single byte 0xE9\n    next end\n  }\n  step end {}\n}\n',
  },
} satisfies CatalogPart;
