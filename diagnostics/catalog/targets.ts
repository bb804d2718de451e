import type { CatalogPart } from '../catalog.ts';
import { argoCodes } from './argo.ts';
import { batchCodes } from './batch.ts';

/** Codes reported by the backends (names that do not fit a platform, impossible resources, size limits). */
export const targetCodes: CatalogPart = { ...argoCodes, ...batchCodes };
