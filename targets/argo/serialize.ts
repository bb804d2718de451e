/**
 * The last step: manifests to text. YAML documents separated by `---` (what `kubectl apply -f` and
 * `argo submit` read), or pretty JSON documents one after another. Key order is the order fields were set by
 * the builders, so equal inputs give equal bytes. YAML comes from the writer in `yaml.ts`, linear in the size of
 * the output.
 */
import type { Manifest } from './manifest-types.ts';
import { toYaml } from './yaml.ts';

export type ArgoFormat = 'yaml' | 'json';

export function serializeManifest(doc: Manifest, format: ArgoFormat): string {
  return format === 'json' ? `${JSON.stringify(doc, null, 2)}\n` : toYaml(doc);
}

/** The stream of several serialized manifests (as `serializeManifest` gives them): `---` before each YAML document. */
export function joinManifests(texts: string[], format: ArgoFormat): string {
  return format === 'json' ? texts.join('') : texts.map((t) => `---\n${t}`).join('');
}

/** The file name of a manifest under `--out`: `<name>.<kind>.<ext>`. */
export function fileNameOf(doc: Manifest, format: ArgoFormat): string {
  const name = doc.metadata.name ?? (doc.metadata.generateName ?? 'flow').replace(/-$/, '');
  return `${name}.${doc.kind.toLowerCase()}.${format}`;
}
