/** The `graph` target's record (see `targets/registry.ts`): the DAG as Mermaid or Graphviz dot. */
import type { Target } from '../types.ts';

export const graphTarget: Target = {
  name: 'graph',
  summary: 'the DAG as Mermaid or Graphviz dot (as flowc graph)',
  formats: ['mermaid', 'dot'],
  load: async () => (await import('./index.ts')).buildGraph,
};
