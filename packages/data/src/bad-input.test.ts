import * as tf from '@tensorflow/tfjs-core';
import { type DescentErrorCode, Rng } from '@descent/core';
import {
  BAD_INPUT_RUNS,
  badNumber,
  expectBadInput,
  expectExportsCovered,
  forEachBackend,
  notANumber,
  notAPlainObject,
  notATensor,
  unknownName,
} from '@descent/core/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { batches } from './batches';
import { checkDataset, type Dataset } from './dataset';
import * as pkg from './index';
import { mnist } from './mnist/mnist';
import { oneHot } from './one-hot';
import { oneHotChecked } from './one-hot-checked';
import { gaussianBlobs } from './synthetic/gaussian-blobs';
import { sinusoid } from './synthetic/sinusoid';
import { teacherStudent } from './synthetic/teacher-student';
import { twoSpirals } from './synthetic/two-spirals';
import { badSeed, GENERATORS, present } from './test-support/bad-input-generators';
import { disposeModel, testMlp } from './test-support/mlp';

const RUNS = { numRuns: BAD_INPUT_RUNS };

/** Every callable export and where its cases are. */
const CASES = {
  checkDataset: 'name and every field',
  mnist: 'options',
  twoSpirals: 'options',
  gaussianBlobs: 'options',
  teacherStudent: 'options and teacher',
  sinusoid: 'options',
  batches: 'dataset and options; the iterator takes no input',
  oneHot: 'labels and numClasses',
  oneHotChecked: 'labels (values too) and numClasses',
  fit: 'model, optimizer, dataset and every option (fit/fit.bad-input.test.ts)',
};

const GENERATE: Record<string, (options: never) => unknown> = {
  twoSpirals,
  gaussianBlobs,
  sinusoid,
  teacherStudent,
  mnist,
};

/** A valid classification dataset of 5 examples of shape [2]. */
function dataset(): Dataset {
  return {
    x: Float32Array.from({ length: 10 }, (_, i) => i / 10),
    xShape: [2],
    y: Int32Array.from([0, 1, 2, 0, 1]),
    yShape: [],
    n: 5,
    numClasses: 3,
  };
}

/** Ways to break a dataset, each with the field a refusal must name and its codes. */
const BROKEN: fc.Arbitrary<[string, (d: Dataset) => unknown, DescentErrorCode[]]> = fc.oneof(
  badNumber({ integer: true, min: 0 }).map((v) => [
    'n',
    (d: Dataset) => ({ ...d, n: v }),
    ['BAD_ARGUMENT', 'SHAPE_MISMATCH'],
  ]),
  fc
    .constantFrom(null, 2, [0], [2.5], [-1], 'x')
    .map((v) => ['xShape', (d: Dataset) => ({ ...d, xShape: v }), ['BAD_ARGUMENT']]),
  fc
    .constantFrom(null, 2, [0], 'y')
    .map((v) => ['yShape', (d: Dataset) => ({ ...d, yShape: v }), ['BAD_ARGUMENT']]),
  fc
    .constantFrom(null, [0, 1], new Float64Array(10), new Int32Array(10))
    .map((v) => ['x', (d: Dataset) => ({ ...d, x: v }), ['DTYPE_MISMATCH']]),
  fc
    .constantFrom(null, [0, 1], new Float64Array(5), new Uint8Array(5))
    .map((v) => ['y', (d: Dataset) => ({ ...d, y: v }), ['DTYPE_MISMATCH']]),
  fc
    .integer({ min: 0, max: 20 })
    .filter((k) => k !== 10)
    .map((k) => ['x', (d: Dataset) => ({ ...d, x: new Float32Array(k) }), ['SHAPE_MISMATCH']]),
  fc
    .integer({ min: 0, max: 9 })
    .filter((k) => k !== 5)
    .map((k) => ['y', (d: Dataset) => ({ ...d, y: new Int32Array(k) }), ['SHAPE_MISMATCH']]),
  fc
    .tuple(
      fc.integer({ min: 0, max: 9 }),
      fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
    )
    .map(([i, v]) => [
      `x[${i}]`,
      (d: Dataset) => {
        const x = d.x.slice();
        x[i] = v;
        return { ...d, x };
      },
      ['NON_FINITE'],
    ]),
  fc
    .tuple(
      fc.integer({ min: 0, max: 4 }),
      fc.oneof(fc.integer({ min: 3, max: 100 }), fc.integer({ min: -100, max: -1 })),
    )
    .map(([i, v]) => [
      `y[${i}]`,
      (d: Dataset) => {
        const y = Int32Array.from(d.y);
        y[i] = v;
        return { ...d, y };
      },
      ['BAD_ARGUMENT'],
    ]),
  present(badNumber({ integer: true, min: 1 })).map((v) => [
    'numClasses',
    (d: Dataset) => ({ ...d, numClasses: v }),
    ['BAD_ARGUMENT'],
  ]),
) as fc.Arbitrary<[string, (d: Dataset) => unknown, DescentErrorCode[]]>;

describe('bad input: coverage', () => {
  it('every callable export has bad-input cases', () => {
    expectExportsCovered(pkg, CASES);
  });
});

forEachBackend(
  'bad input',
  () => {
    describe('generators refuse bad options before drawing anything', () => {
      for (const [name, generator] of Object.entries(GENERATORS)) {
        const generate = GENERATE[name] as (options: unknown) => unknown;
        const withTeacher = (options: Record<string, unknown>) => {
          const teacher = name === 'teacherStudent' ? testMlp({ sizes: [2, 3, 1] }) : undefined;
          return { teacher, options: teacher ? { teacher, ...options } : options };
        };
        it(`${name}: options that are no plain object, unknown keys`, async () => {
          await fc.assert(
            fc.asyncProperty(notAPlainObject, async (bad) => {
              await expectBadInput(() => generate(bad), { code: 'BAD_ARGUMENT', mentions: [name] });
            }),
            RUNS,
          );
          await fc.assert(
            fc.asyncProperty(unknownName(generator.known), async (key) => {
              const { teacher, options } = withTeacher({ ...generator.valid, [key]: 1 });
              await expectBadInput(() => generate(options), {
                code: 'UNKNOWN_PARAM',
                mentions: [JSON.stringify(key)],
                unchanged: teacher?.params,
              });
              if (teacher) disposeModel(teacher);
            }),
            RUNS,
          );
        });
        for (const field of generator.fields) {
          it(`${name}: bad ${field.field}`, async () => {
            await fc.assert(
              fc.asyncProperty(field.bad, async (bad) => {
                const { teacher, options } = withTeacher({
                  ...generator.valid,
                  [field.field]: bad,
                });
                await expectBadInput(() => generate(options), {
                  code: field.code,
                  mentions: [`${name}.${field.field}`],
                  unchanged: teacher?.params,
                });
                if (teacher) disposeModel(teacher);
              }),
              RUNS,
            );
          });
        }
      }

      it('teacherStudent: a teacher with a disposed parameter', async () => {
        const teacher = testMlp({ sizes: [2, 3, 1] });
        (teacher.params['dense1/kernel'] as tf.Tensor).dispose();
        await expectBadInput(() => teacherStudent({ teacher, n: 4 }), {
          code: 'DISPOSED',
          mentions: ['teacher', 'dense1/kernel'],
        });
        disposeModel(teacher);
      });
    });

    describe('checkDataset', () => {
      it('refuses a name that is no string and a dataset that is no object', async () => {
        await fc.assert(
          fc.asyncProperty(
            present(notANumber).filter((v) => typeof v !== 'string'),
            async (bad) => {
              await expectBadInput(() => checkDataset(bad as never, dataset()), {
                code: 'BAD_ARGUMENT',
                mentions: ['name'],
              });
            },
          ),
          RUNS,
        );
        await fc.assert(
          fc.asyncProperty(
            fc.oneof(
              fc.constantFrom(null, undefined, 1, 'd', [], () => ({})),
              fc.double(),
            ),
            async (bad) => {
              await expectBadInput(() => checkDataset('train', bad), {
                code: 'BAD_ARGUMENT',
                mentions: ['train'],
              });
            },
          ),
          RUNS,
        );
      });

      it('refuses every broken field, naming it', async () => {
        await fc.assert(
          fc.asyncProperty(BROKEN, async ([field, breakIt, code]) => {
            await expectBadInput(() => checkDataset('train', breakIt(dataset())), {
              code,
              mentions: [`train.${field}`],
            });
          }),
          { numRuns: BAD_INPUT_RUNS * 4 },
        );
      });
    });

    describe('batches', () => {
      it('refuses a broken dataset before making a tensor', async () => {
        await fc.assert(
          fc.asyncProperty(BROKEN, async ([field, breakIt, code]) => {
            await expectBadInput(() => batches(breakIt(dataset()) as Dataset, { batchSize: 2 }), {
              code,
              mentions: [`dataset.${field}`],
            });
          }),
          RUNS,
        );
      });

      it('refuses bad options', async () => {
        const known = ['batchSize', 'shuffle', 'rng', 'seed', 'dropLast'];
        const cases: [string, fc.Arbitrary<unknown>, DescentErrorCode[]][] = [
          ['batchSize', badNumber({ integer: true, min: 1 }), ['BAD_HYPERPARAM', 'NON_FINITE']],
          [
            'shuffle',
            present(notANumber).filter((v) => typeof v !== 'boolean'),
            ['BAD_HYPERPARAM'],
          ],
          [
            'dropLast',
            present(notANumber).filter((v) => typeof v !== 'boolean'),
            ['BAD_HYPERPARAM'],
          ],
          ['seed', badSeed, ['BAD_HYPERPARAM', 'NON_FINITE']],
          ['rng', present(fc.oneof(notANumber, notATensor)), ['BAD_ARGUMENT']],
        ];
        for (const [field, arb, code] of cases) {
          await fc.assert(
            fc.asyncProperty(arb, async (bad) => {
              await expectBadInput(() => batches(dataset(), { batchSize: 2, [field]: bad }), {
                code,
                mentions: [`batches.${field}`],
              });
            }),
            RUNS,
          );
        }
        await fc.assert(
          fc.asyncProperty(notAPlainObject, async (bad) => {
            await expectBadInput(() => batches(dataset(), bad as never), {
              code: 'BAD_ARGUMENT',
              mentions: ['batches'],
            });
          }),
          RUNS,
        );
        await fc.assert(
          fc.asyncProperty(unknownName(known), async (key) => {
            await expectBadInput(() => batches(dataset(), { batchSize: 2, [key]: 1 } as never), {
              code: 'UNKNOWN_PARAM',
              mentions: [JSON.stringify(key)],
            });
          }),
          RUNS,
        );
        await expectBadInput(() => batches(dataset(), { batchSize: 2, rng: new Rng(0), seed: 1 }), {
          code: 'BAD_ARGUMENT',
          mentions: ['rng', 'seed'],
        });
      });

      it('the iterator takes no input: arguments to next() are ignored and nothing leaks', async () => {
        const before = tf.memory().numTensors;
        const it = batches(dataset(), { batchSize: 2 })[Symbol.iterator]();
        const first = (it.next as (v: unknown) => IteratorResult<unknown>)(Number.NaN);
        expect(first.done).toBe(false);
        it.return?.();
        expect(tf.memory().numTensors).toBe(before);
      });
    });

    describe('oneHot and oneHotChecked', () => {
      const encoders = { oneHot, oneHotChecked } as Record<
        string,
        (labels: unknown, k: unknown) => unknown
      >;
      for (const [name, encode] of Object.entries(encoders)) {
        it(`${name}: bad numClasses, labels that are no int32 tensor or Int32Array`, async () => {
          const labels = tf.tensor1d([0, 1], 'int32');
          await fc.assert(
            fc.asyncProperty(badNumber({ integer: true, min: 2, max: 2147483647 }), async (bad) => {
              await expectBadInput(() => encode(labels, bad), {
                code: ['BAD_HYPERPARAM', 'NON_FINITE'],
                mentions: ['numClasses'],
                unchanged: labels,
              });
            }),
            RUNS,
          );
          await fc.assert(
            fc.asyncProperty(
              fc.oneof(notATensor, fc.constantFrom(new Float32Array(2), new Uint8Array(2))),
              async (bad) => {
                await expectBadInput(() => encode(bad, 3), {
                  code: 'BAD_ARGUMENT',
                  mentions: ['labels'],
                });
              },
            ),
            RUNS,
          );
          const float = tf.tensor1d([0, 1]);
          await expectBadInput(() => encode(float, 3), {
            code: 'DTYPE_MISMATCH',
            mentions: ['labels', 'float32'],
          });
          float.dispose();
          const gone = tf.tensor1d([0, 1], 'int32');
          gone.dispose();
          await expectBadInput(() => encode(gone, 3), { code: 'DISPOSED', mentions: ['labels'] });
          labels.dispose();
        });

        it(`${name}: an Int32Array label out of range is refused, naming it`, async () => {
          await fc.assert(
            fc.asyncProperty(
              fc.integer({ min: 0, max: 3 }),
              fc.oneof(fc.integer({ min: 3, max: 1000 }), fc.integer({ min: -1000, max: -1 })),
              async (i, v) => {
                const labels = new Int32Array([0, 1, 2, 1]);
                labels[i] = v;
                await expectBadInput(() => encode(labels, 3), {
                  code: 'BAD_ARGUMENT',
                  mentions: [`labels[${i}]`, String(v)],
                });
              },
            ),
            RUNS,
          );
        });
      }

      it('regression: oneHotChecked(int32 tensor [0, 5], 3) is refused (oneHot gave a zero row; checkLabels names the flat index)', async () => {
        const labels = tf.tensor1d([0, 5], 'int32');
        await expectBadInput(() => oneHotChecked(labels, 3), {
          code: 'BAD_ARGUMENT',
          mentions: ['oneHotChecked.labels', 'flat index 1', '5', '[0, 3)'],
          unchanged: labels,
        });
        const unchecked = oneHot(labels, 3);
        expect(Array.from(await unchecked.data())).toEqual([1, 0, 0, 0, 0, 0]);
        unchecked.dispose();
        const good = tf.tensor1d([2, 0], 'int32');
        const encoded = await oneHotChecked(good, 3);
        expect(Array.from(await encoded.data())).toEqual([0, 0, 1, 1, 0, 0]);
        tf.dispose([labels, good, encoded]);
      });
    });
  },
  { backends: ['cpu', 'wasm'] },
);
