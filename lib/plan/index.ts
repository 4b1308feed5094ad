export * from './addons';
export * from './cache';
export * from './diff';
export * from './plan';
export * from './report';
export * from './rules';
export * from './sources';
export * from './tree';
