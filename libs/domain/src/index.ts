export * from './ladder';
export * from './duration';
export * from './project-code';
export * from './blocker';
export * from './errors';
