/** Code lenses on each `flow`: a build for each target that offers one (the server passes them in), show the DAG. */
import type { IdeDocument } from './document.ts';
import type { CodeLens } from './types.ts';

/** A build the editor offers on each flow: the target's name and the lens title. */
export interface BuildLens {
  target: string;
  title: string;
}

export function getCodeLenses(doc: IdeDocument, builds: readonly BuildLens[]): CodeLens[] {
  const lenses: CodeLens[] = [];
  for (const flow of doc.parsed.file.flows ?? []) {
    const name = flow.name?.name;
    if (!name) continue;
    const span = flow.name.span;
    for (const b of builds) lenses.push({ span, title: b.title, action: { kind: 'build', target: b.target, flow: name } });
    lenses.push({ span, title: 'Show DAG', action: { kind: 'show-dag', flow: name } });
  }
  return lenses;
}
