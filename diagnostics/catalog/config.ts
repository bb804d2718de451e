/**
 * `flowc.yaml` diagnostics (owned by `compiler/config.ts`). Examples are YAML; the coverage test checks each
 * code is triggered by a case under `test/cases/config/`.
 */
import type { CatalogPart } from '../catalog.ts';

export const configCodes = {
  'config-yaml': {
    severity: 'error',
    summary: '`flowc.yaml` is not valid YAML.',
    doc: 'The file must parse as YAML: check indentation, quotes and duplicate keys. Alias expansion is bounded, so a file that expands to a huge document is rejected too.',
    example: 'argo:\n  namespace: ml\n  namespace: other\n',
  },
  'config-invalid': {
    severity: 'error',
    summary: 'A `flowc.yaml` setting is unknown or has the wrong type.',
    doc: 'The file is validated against `compiler/config.schema.json` (which editors can use too). Sizes are written with a unit, such as `512GiB`.',
    example: 'argo:\n  limits: { cpu: 64, memory: 512 }\n',
  },
  'config-unsafe-key': {
    severity: 'error',
    summary: '`flowc.yaml` uses a key such as `__proto__`.',
    doc: 'Keys named `__proto__`, `constructor` or `prototype` are rejected, so a configuration can never alter object prototypes.',
    example: '__proto__:\n  image: evil\n',
  },
} satisfies CatalogPart;
