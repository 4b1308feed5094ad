export * from './aurora';
export * from './eks';
export * from './versions';
