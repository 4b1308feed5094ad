export * from './api';
export * from './composition';
export * from './conditions';
export * from './fields';
export * from './functions';
export * from './iam';
export * from './patches';
export * from './samples';
