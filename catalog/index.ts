export * from './aurora';
export * from './eks';
export * from './lifecycle';
export * from './versions';
