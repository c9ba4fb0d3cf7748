/**
 * Stable error codes. A code never changes meaning once released; new failure kinds get new codes.
 *
 * - `SHAPE_MISMATCH`: a tensor's shape (or size) differs from the one required.
 * - `DTYPE_MISMATCH`: a tensor's dtype differs from the one required.
 * - `NON_FINITE`: a value that must be finite is NaN or ±Infinity.
 * - `BAD_HYPERPARAM`: a number or option outside its documented range.
 * - `DISPOSED`: a tensor or variable was used after `dispose()`.
 * - `NO_GRADIENTS`: tfjs has no gradient functions registered; the message names the import that fixes it.
 * - `UNKNOWN_PARAM`: a name that is not a key of the given parameter map.
 * - `BACKEND_UNAVAILABLE`: none of the requested tfjs backends could be initialized.
 * - `BAD_ARGUMENT`: any other argument of the wrong kind (not a tensor, not a function, …).
 */
export type DescentErrorCode =
  | 'SHAPE_MISMATCH'
  | 'DTYPE_MISMATCH'
  | 'NON_FINITE'
  | 'BAD_HYPERPARAM'
  | 'DISPOSED'
  | 'NO_GRADIENTS'
  | 'UNKNOWN_PARAM'
  | 'BACKEND_UNAVAILABLE'
  | 'BAD_ARGUMENT';

const DESCENT_ERROR = Symbol.for('descent.error');

const CODES: readonly string[] = [
  'SHAPE_MISMATCH',
  'DTYPE_MISMATCH',
  'NON_FINITE',
  'BAD_HYPERPARAM',
  'DISPOSED',
  'NO_GRADIENTS',
  'UNKNOWN_PARAM',
  'BACKEND_UNAVAILABLE',
  'BAD_ARGUMENT',
];

/**
 * The one error type of descent. Its `code` is stable and meant for programs; its message is
 * meant for people and names the offending parameter, its shape and what was expected.
 *
 * Recognize it with {@link isDescentError} rather than `instanceof`: two copies of
 * `@descent/core` may coexist in one app.
 *
 * @example
 * ```ts
 * try { checkSameShape('grads["w"]', g, 'params["w"]', w); }
 * catch (e) { if (isDescentError(e) && e.code === 'SHAPE_MISMATCH') console.warn(e.message); }
 * ```
 */
export class DescentError extends Error {
  readonly code: DescentErrorCode;
  readonly [DESCENT_ERROR] = true;

  /**
   * @param code - one of the {@link DescentErrorCode}s.
   * @param message - what went wrong, naming the parameter.
   * @param options - `cause`: the underlying error, if any.
   * @throws DescentError `BAD_ARGUMENT` for a code that is not a {@link DescentErrorCode} or a
   *   message that is not a string (an error's code must stay one of the stable ones).
   */
  constructor(code: DescentErrorCode, message: string, options?: { cause?: unknown }) {
    if (!CODES.includes(code) || typeof message !== 'string') {
      const what = CODES.includes(code)
        ? `message must be a string, got ${typeof message}`
        : `code must be one of ${CODES.join(', ')}, got ${typeof code === 'string' ? JSON.stringify(code) : typeof code}`;
      throw new DescentError('BAD_ARGUMENT', `new DescentError: ${what}.`);
    }
    super(`[${code}] ${message}`, options);
    this.name = 'DescentError';
    this.code = code;
  }
}

/** True for a {@link DescentError} from any copy of `@descent/core` (brand check, no `instanceof`). */
export function isDescentError(value: unknown): value is DescentError {
  return typeof value === 'object' && value !== null && DESCENT_ERROR in value;
}
