export * from './layers-model-files';
export * from './layers-model-io';
