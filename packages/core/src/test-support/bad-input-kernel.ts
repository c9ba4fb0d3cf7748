import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import {
  defineKernel,
  evaluateExpr,
  formatShape,
  ops,
  scaledSubtract,
  scaledSubtractKernel,
  segmentNorm,
  useBackend,
  type ValueExpr,
} from '../index';
import { expectBadInput } from '../testing/bad-input';
import {
  badNumber,
  nonFiniteNumber,
  notAFiniteNumber,
  notAFunction,
  notAPlainObject,
  notATensor,
  otherShape,
  unknownName,
} from '../testing/bad-values';
import { type CaseGroup, disposedTensor, ownedVariable, property } from './bad-input-helpers';

let kernelCount = 0;
/** A kernel name no test used yet. */
const freshName = () => `badInput.kernel${kernelCount++}`;

/** A valid definition, with one field replaced. */
function definition(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: freshName(),
    inouts: ['p'],
    inputs: ['g'],
    uniforms: ['alpha'],
    update: ({ p, g, alpha }: Record<'p' | 'g' | 'alpha', ValueExpr>) => ({
      p: ops.sub(p, ops.mul(alpha, g)),
    }),
    ...overrides,
  };
}

const notAValueExpr = fc.oneof(
  fc.constant(null),
  fc.string({ maxLength: 4 }),
  fc.constant({ kind: 'nope' }),
  fc.constant({ kind: 'ref', name: 3 }),
  fc.constant({ kind: 'binary', op: 'pow', a: 1, b: 2 }),
  fc.constant({ kind: 'compare', op: 'gt', a: 1, b: 2 }),
);

/** Backend selection, the kernel machinery, and the kernels built on it. */
export const KERNEL_CASES: CaseGroup = {
  useBackend: () => {
    it('useBackend refuses a bad prefer or bad options, leaving the backend as it was', async () => {
      const active = tf.getBackend();
      await property(
        fc.oneof(
          fc.integer(),
          fc.constant(null),
          fc.constant([]),
          fc.constant({}),
          fc
            .string({ minLength: 1, maxLength: 6 })
            .filter((s) => !['cpu', 'wasm', 'webgpu'].includes(s)),
          fc.constant(['cpu', 3]),
        ),
        async (bad) => {
          await expectBadInput(() => useBackend(bad as 'cpu'), {
            code: 'BAD_ARGUMENT',
            mentions: ['prefer'],
          });
        },
      );
      await property(
        unknownName(['wasmPaths', 'onFallback', 'allowSoftwareWebGpu']),
        async (key) => {
          await expectBadInput(() => useBackend('cpu', { [key]: 1 } as object), {
            code: 'UNKNOWN_PARAM',
            mentions: [JSON.stringify(key)],
          });
        },
      );
      await property(notAPlainObject, async (bad) => {
        await expectBadInput(() => useBackend('cpu', bad as object), {
          code: 'BAD_ARGUMENT',
          mentions: ['useBackend options'],
        });
      });
      await property(
        notAFunction.filter((v) => v !== null),
        async (bad) => {
          await expectBadInput(() => useBackend('cpu', { onFallback: bad } as object), {
            code: 'BAD_ARGUMENT',
            mentions: ['onFallback'],
          });
        },
      );
      for (const bad of [1, 'yes', null]) {
        await expectBadInput(() => useBackend('cpu', { allowSoftwareWebGpu: bad } as object), {
          code: 'BAD_ARGUMENT',
          mentions: ['allowSoftwareWebGpu'],
        });
      }
      await expectBadInput(() => useBackend('cpu', { wasmPaths: 3 } as object), {
        code: 'BAD_ARGUMENT',
        mentions: ['wasmPaths'],
      });
      expect(tf.getBackend()).toBe(active);
    });
  },
  defineKernel: () => {
    it('defineKernel refuses a malformed definition, and the name stays free', async () => {
      await property(notAPlainObject, async (bad) => {
        await expectBadInput(() => defineKernel(bad as never), {
          code: 'BAD_ARGUMENT',
          mentions: ['definition'],
        });
      });
      const fields: [string, fc.Arbitrary<unknown>][] = [
        ['name', fc.oneof(fc.constant(''), fc.integer(), fc.constant(null))],
        ['inouts', fc.oneof(fc.constant('p'), fc.constant([1]), fc.constant(null))],
        ['inputs', fc.oneof(fc.constant('g'), fc.constant({}))],
        ['uniforms', fc.oneof(fc.constant(undefined), fc.constant([null]))],
        ['scalars', fc.oneof(fc.constant('s'), fc.constant(3))],
        ['update', notAFunction],
        ['reference', notAFunction.filter((v) => v !== null)],
        [
          'fused',
          fc.oneof(fc.constant(3), fc.constant({ wasm: 'yes' }), fc.constant({ cpu: true })),
        ],
      ];
      for (const [field, arbitrary] of fields) {
        await property(arbitrary, async (bad) => {
          const d = definition({ [field]: bad });
          await expectBadInput(() => defineKernel(d as never), {
            code: ['BAD_ARGUMENT', 'UNKNOWN_PARAM'],
            mentions: [field],
          });
        });
      }
      await property(unknownName([...Object.keys(definition())]), async (key) => {
        await expectBadInput(() => defineKernel(definition({ [key]: 1 }) as never), {
          code: 'UNKNOWN_PARAM',
          mentions: [JSON.stringify(key)],
        });
      });
      await property(notAValueExpr, async (bad) => {
        const d = definition({ update: () => ({ p: bad }) });
        await expectBadInput(() => defineKernel(d as never), {
          code: 'BAD_ARGUMENT',
          mentions: ['update() result'],
        });
        // The refused definition took no name: the same name defines a kernel now.
        expect(() => defineKernel(definition({ name: d.name }) as never)).not.toThrow();
      });
      await expectBadInput(
        () =>
          defineKernel(definition({ update: () => ({ p: { kind: 'ref', name: 'q' } }) }) as never),
        { code: 'BAD_ARGUMENT', mentions: ['"q"'] },
      );
      await expectBadInput(() => defineKernel(definition({ update: () => ({}) }) as never), {
        code: 'BAD_ARGUMENT',
        mentions: ['missing p'],
      });
    });
  },
  ops: () => {
    it('ops builders refuse operands that are neither nodes nor finite numbers', async () => {
      const x: ValueExpr = { kind: 'ref', name: 'x' };
      await property(notAValueExpr, async (bad) => {
        await expectBadInput(() => ops.add(x, bad as never), {
          code: 'BAD_ARGUMENT',
          mentions: ['ops.add: b'],
        });
        await expectBadInput(() => ops.sqrt(bad as never), {
          code: 'BAD_ARGUMENT',
          mentions: ['ops.sqrt: x'],
        });
        if ((bad as { kind?: unknown } | null)?.kind !== 'compare') {
          await expectBadInput(() => ops.select(bad as never, x, 1), {
            code: 'BAD_ARGUMENT',
            mentions: ['ops.select: cond'],
          });
        }
      });
      await property(nonFiniteNumber, async (bad) => {
        await expectBadInput(() => ops.constant(bad), {
          code: 'NON_FINITE',
          mentions: ['ops.constant'],
        });
        await expectBadInput(() => ops.mul(bad, x), {
          code: 'NON_FINITE',
          mentions: ['ops.mul: a'],
        });
      });
    });
  },
  evaluateExpr: () => {
    it('evaluateExpr refuses malformed outputs, values and options before making a tensor', async () => {
      const x = tf.ones([2]);
      const y: ValueExpr = ops.add({ kind: 'ref', name: 'x' }, 1);
      await property(notAPlainObject, async (bad) => {
        await expectBadInput(() => evaluateExpr(bad as never, { x }), {
          code: 'BAD_ARGUMENT',
          mentions: ['outputs'],
        });
        await expectBadInput(() => evaluateExpr({ y }, bad as never), {
          code: 'BAD_ARGUMENT',
          mentions: ['values'],
        });
        await expectBadInput(() => evaluateExpr({ y }, { x }, bad as never), {
          code: 'BAD_ARGUMENT',
          mentions: ['evaluateExpr'],
        });
      });
      await property(notAValueExpr, async (bad) => {
        await expectBadInput(() => evaluateExpr({ y: bad as never }, { x }), {
          code: 'BAD_ARGUMENT',
          mentions: ['outputs.y'],
        });
      });
      await property(
        fc.oneof(fc.constant(null), fc.string(), fc.constant([1, 2]), fc.constant({})),
        async (bad) => {
          await expectBadInput(() => evaluateExpr({ y }, { x: bad as number }), {
            code: 'BAD_ARGUMENT',
            mentions: ['values.x'],
          });
        },
      );
      await expectBadInput(() => evaluateExpr({ y }, { x: disposedTensor() }), {
        code: 'DISPOSED',
        mentions: ['values.x'],
      });
      await property(unknownName(['shape']), async (key) => {
        await expectBadInput(() => evaluateExpr({ y }, { x }, { [key]: [2] } as object), {
          code: 'UNKNOWN_PARAM',
          mentions: [JSON.stringify(key)],
        });
      });
      await property(
        fc.oneof(fc.constant([-1]), fc.constant([1.5]), fc.constant('2')),
        async (bad) => {
          await expectBadInput(() => evaluateExpr({ y }, { x }, { shape: bad as never }), {
            code: 'BAD_ARGUMENT',
            mentions: ['options.shape'],
          });
        },
      );
      x.dispose();
    });
  },
  scaledSubtract: () => {
    it('scaledSubtract refuses bad tensors, shapes, dtypes, alphas and options; p unchanged', async () => {
      const p = ownedVariable([2, 3]);
      const g = tf.ones([2, 3]);
      await property(otherShape([2, 3]), async (shape) => {
        const bad = tf.ones(shape);
        await expectBadInput(() => scaledSubtract(p, bad, 0.1), {
          code: 'SHAPE_MISMATCH',
          mentions: ['g', formatShape(shape), '[2, 3]'],
          unchanged: p,
        });
        bad.dispose();
      });
      await property(notAFiniteNumber, async (alpha) => {
        await expectBadInput(() => scaledSubtract(p, g, alpha as number), {
          code: ['NON_FINITE', 'BAD_HYPERPARAM'],
          mentions: ['alpha'],
          unchanged: p,
        });
      });
      await property(notATensor, async (bad) => {
        await expectBadInput(() => scaledSubtract(p, bad as tf.Tensor, 0.1), {
          code: 'BAD_ARGUMENT',
          mentions: ['g'],
          unchanged: p,
        });
      });
      const ints = tf.ones([2, 3], 'int32');
      await expectBadInput(() => scaledSubtract(p, ints, 0.1), {
        code: 'DTYPE_MISMATCH',
        mentions: ['g', 'int32'],
        unchanged: p,
      });
      ints.dispose();
      await expectBadInput(() => scaledSubtract(p, disposedTensor([2, 3]), 0.1), {
        code: 'DISPOSED',
        mentions: ['g'],
        unchanged: p,
      });
      await expectBadInput(() => scaledSubtract(g as tf.Variable, g, 0.1), {
        code: 'BAD_ARGUMENT',
        mentions: ['p'],
        unchanged: g,
      });
      await property(
        fc.oneof(
          fc.constant(null),
          fc.constant(3),
          fc.constant({ path: 'fast' }),
          fc.constant({ pth: 'reference' }),
        ),
        async (bad) => {
          await expectBadInput(() => scaledSubtract(p, g, 0.1, bad as object), {
            code: ['BAD_ARGUMENT', 'UNKNOWN_PARAM'],
            mentions: ['descent.scaledSubtract'],
            unchanged: p,
          });
        },
      );
      tf.dispose([p, g]);
    });
  },
  scaledSubtractKernel: () => {
    it('the kernel’s call forms refuse missing, unknown and bad buffers; p unchanged', async () => {
      const p = ownedVariable([3]);
      const g = tf.ones([3]);
      const k = scaledSubtractKernel;
      await property(unknownName(['p']), async (key) => {
        await expectBadInput(() => k({ [key]: p } as never, { g }, { alpha: 1 }), {
          code: 'UNKNOWN_PARAM',
          mentions: [JSON.stringify(key)],
          unchanged: p,
        });
      });
      await property(notAPlainObject, async (bad) => {
        await expectBadInput(() => k({ p }, bad as never, { alpha: 1 }), {
          code: 'BAD_ARGUMENT',
          mentions: ['inputs'],
          unchanged: p,
        });
      });
      await expectBadInput(() => k({ p }, { g }, {} as never), {
        code: 'BAD_ARGUMENT',
        mentions: ['alpha'],
        unchanged: p,
      });
      await property(badNumber(), async (bad) => {
        await expectBadInput(() => k.positional([p], [g], [bad as number]), {
          code: ['NON_FINITE', 'BAD_HYPERPARAM'],
          mentions: ['alpha'],
          unchanged: p,
        });
      });
      await expectBadInput(() => k.positional([p], [], [1]), {
        code: 'BAD_ARGUMENT',
        mentions: ['read tensors'],
        unchanged: p,
      });
      await expectBadInput(() => k.batch('rows' as never), {
        code: 'BAD_ARGUMENT',
        mentions: ['batch rows'],
      });
      await expectBadInput(() => k.batch([[p]], { internal: 'p' } as never), {
        code: 'BAD_ARGUMENT',
        mentions: ['internal'],
      });
      await expectBadInput(() => k.batch([[p]], { intern: ['p'] } as never), {
        code: 'UNKNOWN_PARAM',
        mentions: ['"intern"'],
      });
      const batch = k.batch([[p]]);
      await property(otherShape([3]), async (shape) => {
        const bad = tf.ones(shape);
        await expectBadInput(() => batch.run([bad], [0.5]), {
          code: 'SHAPE_MISMATCH',
          mentions: ['batch row 0', formatShape(shape)],
          unchanged: p,
        });
        bad.dispose();
      });
      batch.dispose();
      await expectBadInput(() => batch.run([g], [0.5]), { code: 'DISPOSED', unchanged: p });
      await expectBadInput(() => k.wgsl(2 as 1), { code: 'BAD_ARGUMENT', mentions: ['width'] });
      await expectBadInput(() => k.wasm('yes' as never), {
        code: 'BAD_ARGUMENT',
        mentions: ['sharedMemory'],
      });
      tf.dispose([p, g]);
    });
  },
  segmentNorm: () => {
    it('segmentNorm refuses bad tensors, layouts, epsilons and options', async () => {
      const x = tf.ones([2, 4]);
      const gamma = tf.ones([4]);
      const layout = { outer: 2, spatial: 1, groups: 1, groupSize: 4 };
      await property(badNumber({ min: 0, minExclusive: true }), async (eps) => {
        await expectBadInput(() => segmentNorm(x, gamma, undefined, layout, eps as number), {
          code: ['BAD_HYPERPARAM', 'NON_FINITE'],
          mentions: ['epsilon'],
        });
      });
      await property(
        fc.tuple(
          fc.constantFrom('outer', 'spatial', 'groups', 'groupSize'),
          badNumber({ min: 1, integer: true }),
        ),
        async ([field, bad]) => {
          await expectBadInput(
            () => segmentNorm(x, gamma, undefined, { ...layout, [field]: bad }, 1e-5),
            { code: 'BAD_ARGUMENT', mentions: [`layout.${field}`] },
          );
        },
      );
      await property(unknownName(Object.keys(layout)), async (key) => {
        await expectBadInput(
          () => segmentNorm(x, gamma, undefined, { ...layout, [key]: 1 } as never, 1e-5),
          { code: 'UNKNOWN_PARAM', mentions: ['layout', JSON.stringify(key)] },
        );
      });
      await property(otherShape([4]), async (shape) => {
        const bad = tf.ones(shape);
        await expectBadInput(() => segmentNorm(x, undefined, bad, layout, 1e-5), {
          code: 'SHAPE_MISMATCH',
          mentions: ['beta', formatShape(shape)],
        });
        bad.dispose();
      });
      await property(
        notATensor.filter((v) => v !== undefined),
        async (bad) => {
          await expectBadInput(() => segmentNorm(x, bad as tf.Tensor, undefined, layout, 1e-5), {
            code: 'BAD_ARGUMENT',
            mentions: ['gamma'],
          });
        },
      );
      await expectBadInput(
        () => segmentNorm(disposedTensor([2, 4]), gamma, undefined, layout, 1e-5),
        {
          code: 'DISPOSED',
          mentions: ['x'],
        },
      );
      await property(notAPlainObject, async (bad) => {
        await expectBadInput(() => segmentNorm(x, gamma, undefined, layout, 1e-5, bad as object), {
          code: 'BAD_ARGUMENT',
          mentions: ['segmentNorm options'],
        });
      });
      await expectBadInput(
        () => segmentNorm(x, gamma, undefined, layout, 1e-5, { path: 'fast' } as never),
        { code: 'BAD_ARGUMENT', mentions: ['options.path'] },
      );
      tf.dispose([x, gamma]);
    });
  },
};
