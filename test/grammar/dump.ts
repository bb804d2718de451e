/**
 * The AST as readable JSON for golden files: spans shortened to `"start-end"`, string `offsets` left out.
 */
import type { Node } from '../../grammar/ast.ts';

export function dumpAst(node: Node | Node[]): string {
  return (
    JSON.stringify(
      node,
      (key, value: unknown) => {
        if (key === 'offsets') return undefined;
        if ((key === 'span' || key === 'otherwiseSpan') && value && typeof value === 'object') {
          const span = value as { start: number; end: number };
          return `${span.start}-${span.end}`;
        }
        return value;
      },
      2,
    ) + '\n'
  );
}

/** The AST without positions, to compare the trees of two texts (e.g. before and after formatting). */
export function stripPositions(node: unknown): unknown {
  return JSON.parse(JSON.stringify(node, (key, value: unknown) => (key === 'span' || key === 'otherwiseSpan' || key === 'offsets' ? undefined : value)));
}
