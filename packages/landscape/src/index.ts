export type { LossFn } from './loss/loss-fn';
export { hvp } from './hessian/hvp';
export {
  hvpFiniteDifference,
  type HvpFiniteDifferenceOptions,
} from './hessian/hvp-finite-difference';
