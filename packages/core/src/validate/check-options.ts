import { DescentError } from '../errors/descent-error';
import { describeValue } from './describe-value';
import { isPlainObject } from './is-plain-object';
import { checkKnownKeys } from './number-checks';

/**
 * Asserts `options` is a plain object whose keys are all in `known`, so that a misspelled option
 * fails loudly instead of being ignored. `what` names the function or optimizer the options belong
 * to in the messages (`'scaleByAdam'` → "scaleByAdam options has unknown name …"). Callers whose
 * options may be omitted check `undefined` themselves (or default the parameter to `{}`).
 *
 * @param what - Whose options these are, as the user knows it.
 * @param options - The value given as options.
 * @param known - Every accepted key.
 * @param notObject - The message when `options` is no plain object; default
 *   "`what` options must be a plain object, got …".
 * @throws DescentError `BAD_ARGUMENT` when `options` is not a plain object (null, an array, a
 *   number, a Map, a tensor, …), `UNKNOWN_PARAM` naming the unknown keys and listing the known ones.
 *
 * @example
 * ```ts
 * export function scaleByAdam(options: ScaleByAdamOptions = {}) {
 *   checkOptions('scaleByAdam', options, ['beta1', 'beta2', 'epsilon', 'amsgrad']);
 *   // scaleByAdam({ betta2: 0.9 }) throws UNKNOWN_PARAM naming "betta2"
 * }
 * ```
 */
export function checkOptions(
  what: string,
  options: unknown,
  known: readonly string[],
  notObject?: string,
): asserts options is object {
  if (!isPlainObject(options)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      notObject ?? `${what} options must be a plain object, got ${describeValue(options)}.`,
    );
  }
  checkKnownKeys(`${what} options`, Object.keys(options), known);
}
