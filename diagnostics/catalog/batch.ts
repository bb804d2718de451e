import type { CatalogPart } from '../catalog.ts';

export const batchCodes: CatalogPart = {};
