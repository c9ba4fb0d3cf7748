export { DescentError, isDescentError, type DescentErrorCode } from './errors/descent-error';
export { formatShape } from './validate/format-shape';
export {
  isTensor,
  checkTensor,
  checkShape,
  checkSameShape,
  checkDtype,
  checkFiniteTensor,
  sameShape,
} from './validate/tensor-checks';
export { checkNumber, checkKnownKeys, type NumberRange } from './validate/number-checks';
export { BACKEND_NAMES, type BackendName, type BackendInfo, type BackendFallback } from './backend/backend-info';
export { useBackend, type UseBackendOptions } from './backend/use-backend';
export { ensureGradients, hasGradients } from './gradients/ensure-gradients';
