export * from './composition';
export * from './definition';
