/**
 * The buffers and hyperparameters of an element-wise kernel.
 *
 * - `inouts`: variables updated in place (parameters, optimizer state);
 * - `inputs`: tensors only read (gradients);
 * - `uniforms`: scalar hyperparameters, passed as float32 at every call.
 */
export interface KernelSignature {
  readonly inouts: readonly string[];
  readonly inputs: readonly string[];
  readonly uniforms: readonly string[];
}
