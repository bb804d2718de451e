import type { CatalogPart } from '../catalog.ts';

export const configCodes: CatalogPart = {};
