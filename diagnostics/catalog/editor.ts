/** Codes only the editor reports (the language server), about the document rather than the flow. */
import type { CatalogPart } from '../catalog.ts';

export const editorCodes = {
  'editor-file-too-large': {
    severity: 'info',
    summary: 'The file is too large for the editor to check (fully).',
    doc: 'Above 3 MB the editor only parses a file, and above 12 MB it does not even parse it, so that it stays responsive. Run `flowc check` on the file, which has no such limit.',
    example: '// a .flow file of more than 3,000,000 characters, opened in the editor\n',
  },
} satisfies CatalogPart;
