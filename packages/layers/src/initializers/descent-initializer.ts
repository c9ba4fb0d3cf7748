import type * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { DescentError, Rng, describeValue, formatShape, isPlainObject } from '@descent/core';
import { type InitializerName, type RandomOptions, initializer } from '@descent/init';

/** tfjs-layers' `Initializer`, the type every `kernelInitializer` must have. */
type LayersInitializer = ReturnType<typeof tfl.initializers.zeros>;

/**
 * tfjs-layers' own `Initializer` base class. It is not exported, but `getInitializer` accepts an
 * instance only if it passes `instanceof` against this very class, so descent's initializers
 * subclass it.
 */
const LayersInitializerBase = Object.getPrototypeOf(tfl.initializers.zeros().constructor) as new (
  ...args: never[]
) => LayersInitializer;

/**
 * The options of a descent initializer: those of the `@descent/init` scheme minus `rng` (a
 * generator is not JSON; give `seed`). Every value must be JSON, so it survives `model.save`.
 */
export type InitializerArgs<O extends RandomOptions> = Omit<O, 'rng'>;

/** The largest seed drawn for an initializer built without one (2³²; any seed below 2⁵³ works). */
const DRAWN_SEED_BOUND = 2 ** 32;

/**
 * A tfjs-layers initializer backed by a scheme of `@descent/init`: the tensor it makes for a
 * shape is the scheme's, bit for bit, on every backend (the values are drawn in JavaScript).
 *
 * Seeding: the instance owns one generator, `new Rng(seed)`, and every `apply` draws from it and
 * advances it. Its first weight equals `@descent/init`'s `scheme(shape, { seed })`; its k-th
 * weight equals the k-th call of `scheme(shape, { rng })` on one `rng = new Rng(seed)`. So a model
 * built in the same order with the same seeds is reproduced exactly, and two layers sharing one
 * instance get different kernels (unlike tfjs's seeded initializers, which repeat the same
 * numbers on every call). A new instance, including one rebuilt from `getConfig()` on load,
 * starts the stream again. Without `seed` a random one is drawn at construction and kept in the
 * config, so a saved model records how its weights were initialized.
 *
 * Subclasses name the scheme and register themselves with `tf.serialization.registerClass`.
 */
export abstract class DescentInitializer<O extends RandomOptions> extends LayersInitializerBase {
  /** The seed of this instance's generator (given, or drawn at construction). */
  readonly seed: number | string;
  private readonly scheme: InitializerName;
  private readonly options: InitializerArgs<O>;
  private readonly drawOptions: O;

  /**
   * @throws DescentError `BAD_ARGUMENT` for options that are not a plain object, an `rng`
   *   option, or a string seed holding `_` (tfjs-layers rewrites such strings on load);
   *   `UNKNOWN_PARAM` for an unknown key; whatever `@descent/init`'s scheme throws for a bad value.
   */
  protected constructor(scheme: InitializerName, args: InitializerArgs<O> | undefined) {
    super();
    const fn = `${scheme} initializer`;
    const options = readArgs(fn, args);
    const seed = options.seed ?? Math.floor(Math.random() * DRAWN_SEED_BOUND);
    checkSeedSurvivesLoading(fn, seed);
    initializer(scheme, { ...options, seed } as never);
    this.scheme = scheme;
    this.options = { ...options, seed } as InitializerArgs<O>;
    this.drawOptions = { ...options, seed: undefined, rng: new Rng(seed) } as O;
    this.seed = seed;
  }

  /**
   * Draws the next weight of `shape` from this instance's generator.
   *
   * @param shape - the weight's shape (dense `[in, out]`, conv2d `[kh, kw, in, out]`, …).
   * @param dtype - `'float32'` (the default; the only dtype the schemes make).
   * @returns a new float32 tensor; the caller (tfjs-layers' `addWeight`) owns it.
   * @throws DescentError `DTYPE_MISMATCH` for another dtype; whatever the scheme throws for a
   *   shape it cannot initialize (e.g. `SHAPE_MISMATCH` for a rank without fans).
   */
  override apply(shape: number[], dtype?: tf.DataType): tf.Tensor {
    if (dtype !== undefined && dtype !== 'float32') {
      throw new DescentError(
        'DTYPE_MISMATCH',
        `${this.getClassName()}.apply: dtype must be 'float32', got ${describeValue(dtype)} for shape ${formatShape(shape)}.`,
      );
    }
    return initializer(this.scheme, this.drawOptions as never)(shape);
  }

  /** The options as given, with the seed in use (JSON only). */
  override getConfig(): tf.serialization.ConfigDict {
    return JSON.parse(JSON.stringify(this.options)) as tf.serialization.ConfigDict;
  }

  /**
   * Builds an instance from a saved config. tfjs-layers adds a `customObjects` entry to the
   * config it passes; it is not an option of the scheme and is dropped here.
   */
  static fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T {
    const { customObjects: _ignored, ...options } = config;
    return new cls(options);
  }
}

function readArgs<O extends RandomOptions>(fn: string, args: unknown): InitializerArgs<O> {
  if (args === undefined) return {} as InitializerArgs<O>;
  if (!isPlainObject(args)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${fn}: options must be a plain object of JSON values, got ${describeValue(args)}.`,
    );
  }
  if ('rng' in args) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${fn}: rng is not accepted (a generator cannot be saved with the model); give seed, a number in [0, 2^53) or a string.`,
    );
  }
  return args as InitializerArgs<O>;
}

function checkSeedSurvivesLoading(fn: string, seed: unknown): void {
  if (typeof seed === 'string' && seed.includes('_')) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${fn}: seed ${JSON.stringify(seed)} holds '_', which tfjs-layers removes from strings when it loads a model; use a seed without '_'.`,
    );
  }
}
