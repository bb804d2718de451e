/**
 * The last step: manifests to text. YAML documents separated by `---` (what `kubectl apply -f` and
 * `argo submit` read), or pretty JSON documents one after another. Key order is the order fields were set by
 * the builders, so equal inputs give equal bytes.
 */
import { stringify } from 'yaml';
import type { Manifest } from './manifest-types.ts';

export type ArgoFormat = 'yaml' | 'json';

export function serializeManifest(doc: Manifest, format: ArgoFormat): string {
  if (format === 'json') return `${JSON.stringify(doc, null, 2)}\n`;
  return stringify(doc, { lineWidth: 0, blockQuote: 'literal', aliasDuplicateObjects: false });
}

export function serializeAll(docs: Manifest[], format: ArgoFormat): string {
  const texts = docs.map((d) => serializeManifest(d, format));
  return format === 'json' ? texts.join('') : texts.map((t) => `---\n${t}`).join('');
}

/** The file name of a manifest under `--out`: `<name>.<kind>.<ext>`. */
export function fileNameOf(doc: Manifest, format: ArgoFormat): string {
  const name = doc.metadata.name ?? (doc.metadata.generateName ?? 'flow').replace(/-$/, '');
  return `${name}.${doc.kind.toLowerCase()}.${format}`;
}
