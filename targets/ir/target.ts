/** The `ir` target's record (see `targets/registry.ts`). */
import type { Target } from '../types.ts';

export const irTarget: Target = {
  name: 'ir',
  summary: 'flowc IR (JSON)',
  load: async () => (await import('./index.ts')).buildIr,
};
