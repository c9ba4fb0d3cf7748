import { DescentError } from '../errors/descent-error';
import { isNode } from '../backend/is-node';
import { nodeImport } from '../backend/node-import';

const REGISTER_ALL_GRADIENTS = '@tensorflow/tfjs-core/dist/register_all_gradients';

/**
 * Node's loader cannot read tfjs-core's ESM build (`dist/*.js` import each other without file
 * extensions), and tfjs-core's CommonJS bundle carries no gradient functions. This resolve hook,
 * scoped to files inside `@tensorflow/tfjs-core/dist/`, retries an extensionless relative
 * specifier with `.js`. Nothing else is touched.
 */
const EXTENSIONLESS_TFJS_HOOK = `
const TFJS_DIST = /[\\\\/]@tensorflow[\\\\/]tfjs-core[\\\\/]dist[\\\\/]/;
export async function resolve(specifier, context, next) {
  if (context.parentURL && TFJS_DIST.test(context.parentURL) && specifier.startsWith('.') && !/\\.[cm]?js$/.test(specifier)) {
    try { return await next(specifier + '.js', context); } catch {}
  }
  return next(specifier, context);
}`;

let hookRegistered = false;
let loading: Promise<void> | undefined;

/**
 * True when tfjs has gradient functions registered (checked on `Sum` and `Multiply`, which every
 * build that registers any registers). Reads tfjs's global registry, so it sees registrations made
 * by any copy of tfjs-core.
 */
export function hasGradients(): boolean {
  const globals = (globalThis as { _tfGlobals?: Map<string, unknown> })._tfGlobals;
  const registry = globals?.get('gradRegistry') as Map<string, unknown> | undefined;
  return registry?.has('Sum') === true && registry.has('Multiply');
}

/**
 * Makes `tf.grad`, `tf.grads` and `tf.variableGrads` work for a user who installed only
 * `@tensorflow/tfjs-core` and a backend. In Node the CommonJS build of tfjs-core registers no
 * gradient functions; this loads tfjs-core's own `register_all_gradients` module (through a
 * narrowly scoped module-resolution hook, see above). In browsers it imports the same module
 * through the bundler. Idempotent; {@link useBackend} calls it.
 *
 * @returns `'registered'` if gradients were already there (e.g. the app imported `@tensorflow/tfjs`),
 *   `'loaded'` if this call registered them.
 * @throws DescentError `NO_GRADIENTS` with the import that fixes it, if they cannot be loaded.
 *
 * @example
 * ```ts
 * await ensureGradients();
 * const dx = tf.grad((x) => tf.sum(tf.square(x)))(tf.tensor([1, 2]));  // [2, 4]
 * ```
 */
export async function ensureGradients(): Promise<'registered' | 'loaded'> {
  if (hasGradients()) return 'registered';
  loading ??= loadGradients().finally(() => {
    loading = undefined;
  });
  await loading;
  return 'loaded';
}

async function loadGradients(): Promise<void> {
  let cause: unknown;
  try {
    if (isNode()) {
      await registerExtensionlessHook();
      await nodeImport(`${REGISTER_ALL_GRADIENTS}.js`);
    } else {
      await import('@tensorflow/tfjs-core/dist/register_all_gradients');
    }
  } catch (e) {
    cause = e;
  }
  if (!hasGradients()) {
    throw new DescentError(
      'NO_GRADIENTS',
      'tfjs has no gradient functions registered, so tf.grad cannot run. ' +
        `Fix: add \`import '${REGISTER_ALL_GRADIENTS}';\` once in your app (bundlers), ` +
        "or import '@tensorflow/tfjs' instead of '@tensorflow/tfjs-core'." +
        (cause ? ` Loading them failed with: ${(cause as Error).message}` : ''),
      { cause },
    );
  }
}

async function registerExtensionlessHook(): Promise<void> {
  if (hookRegistered) return;
  const mod = await nodeImport<{ register?: (url: string) => void }>('node:module');
  if (typeof mod.register !== 'function') {
    throw new Error('node:module.register is unavailable (Node >= 20.6 is required)');
  }
  mod.register(`data:text/javascript,${encodeURIComponent(EXTENSIONLESS_TFJS_HOOK)}`);
  hookRegistered = true;
}
