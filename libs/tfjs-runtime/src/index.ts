export {
  selectBackend,
  type BackendChoice,
  type BackendName,
  type SelectBackendOptions,
} from './select-backend';
export { registerTrainingKernels } from './register-training-kernels';
export { TfjsRuntimeError, type TfjsRuntimeErrorCode } from './tfjs-runtime-error';
export * from './model-files';
