import type { CatalogPart } from '../catalog.ts';

export const syntaxCodes: CatalogPart = {};
