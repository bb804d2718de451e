import type { CatalogPart } from '../catalog.ts';

export const argoCodes: CatalogPart = {};
