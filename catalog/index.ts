export * from './aurora';
export * from './aws-names';
export * from './eks';
export * from './lifecycle';
export * from './versions';
