export * from './composition';
export * from './definition';
export * from './environment';
export * from './names';
