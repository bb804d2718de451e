import type { CatalogPart } from '../catalog.ts';

export const targetCodes: CatalogPart = {};
