import type { CatalogPart } from '../catalog.ts';

export const semanticCodes: CatalogPart = {};
