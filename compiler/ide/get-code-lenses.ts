/** Code lenses on each `flow`: build for Argo, build for Batch, show the DAG. */
import type { IdeDocument } from './document.ts';
import type { CodeLens } from './types.ts';

export function getCodeLenses(doc: IdeDocument): CodeLens[] {
  const lenses: CodeLens[] = [];
  for (const flow of doc.parsed.file.flows ?? []) {
    const name = flow.name?.name;
    if (!name) continue;
    const span = flow.name.span;
    lenses.push(
      { span, title: 'Build for Argo', action: { kind: 'build', target: 'argo', flow: name } },
      { span, title: 'Build for Batch', action: { kind: 'build', target: 'batch', flow: name } },
      { span, title: 'Show DAG', action: { kind: 'show-dag', flow: name } },
    );
  }
  return lenses;
}
