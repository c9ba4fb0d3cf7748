/**
 * The buffers and hyperparameters of an element-wise kernel.
 *
 * - `inouts`: variables updated in place (parameters, optimizer state);
 * - `inputs`: tensors only read (gradients), shaped like the inouts;
 * - `scalars`: one-element tensors read on the device and broadcast (a clipping factor or a norm
 *   computed by earlier kernels: no read back to JavaScript);
 * - `uniforms`: scalar hyperparameters, passed as float32 at every call.
 */
export interface KernelSignature {
  readonly inouts: readonly string[];
  readonly inputs: readonly string[];
  readonly scalars: readonly string[];
  readonly uniforms: readonly string[];
}
