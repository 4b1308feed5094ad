export * from './bootstrap';
export * from './cluster';
export * from './components';
export * from './git';
export * from './process';
