export * from './protocol-error';
export * from './topics';
