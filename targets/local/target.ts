/** The local target's record (see `targets/registry.ts`): flows run on this machine, by `flowc run` and `flowc resume`. */
import type { Target } from '../types.ts';

export const localTarget: Target = {
  name: 'local',
  summary: 'runs on this machine (flowc run; flowc resume, the default)',
  runsHere: true,
};
