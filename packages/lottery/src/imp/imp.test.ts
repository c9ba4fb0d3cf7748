/**
 * imp on a small MLP, held to a float64 re-computation of every round from the weights the test
 * itself saw: the magnitude pruning rule (lowest |θ_trained| of the still-kept weights, ties to
 * the lower index, round(rate × kept) per parameter), rewinding (θ₀ or θ_k exactly), the
 * evaluation schedule and early stop, the controls, and no leaks — on cpu, wasm and webgpu.
 */
import * as tf from '@tensorflow/tfjs-core';
import { type Params, Rng, disposeParams, softmaxCrossEntropy } from '@descent/core';
import { expectNoLeaks, forEachBackend } from '@descent/core/testing';
import { mlp } from '@descent/nets';
import { sgd } from '@descent/optim';
import { expect, it } from 'vitest';
import { ticketFromJSON } from '../ticket/ticket-json';
import { imp } from './imp';
import type { RunKind } from './run-report';
import { trainTicket } from './train-ticket';
import type { TrainingRun } from './training-run';

const SIZES = [6, 10, 8, 3];
const STEPS = 6;
const RATE = 0.3;
const RATES = { 'dense3/kernel': 0.1 };

interface Seen {
  round: number;
  kind: RunKind;
  start: Record<string, Float32Array>;
  end: Record<string, Float32Array>;
  atStep: Record<number, Record<string, Float32Array>>;
}

async function read(params: Record<string, tf.Tensor>): Promise<Record<string, Float32Array>> {
  const out: Record<string, Float32Array> = {};
  for (const [k, v] of Object.entries(params)) out[k] = Float32Array.from(await v.data());
  return out;
}

function problem() {
  const x = tf.tensor2d(
    Array.from({ length: 12 * 6 }, (_, i) => Math.sin(1.3 * i + 0.2)),
    [12, 6],
  );
  const y = tf.tensor1d([0, 1, 2, 0, 1, 2, 2, 1, 0, 0, 2, 1], 'int32');
  return { x, y };
}

/** A full-batch momentum-SGD loop that records what it saw. */
function recordingTrain(
  net: ReturnType<typeof mlp>,
  x: tf.Tensor,
  y: tf.Tensor,
  seen: Seen[],
  steps = STEPS,
) {
  return async (run: TrainingRun) => {
    const record: Seen = {
      round: run.round,
      kind: run.kind,
      start: await read(run.params),
      end: {},
      atStep: {},
    };
    const opt = sgd({ learningRate: 0.2, momentum: 0.9, masks: run.optimizerMasks });
    const vars = Object.values(run.params);
    for (let s = run.startStep; s < steps; s++) {
      opt.minimize(
        () => softmaxCrossEntropy(net.apply(run.params, x, { training: true }), y) as tf.Scalar,
        false,
        vars,
      );
      await run.step();
      record.atStep[s + 1] = await read(run.params);
    }
    opt.dispose();
    record.end = await read(run.params);
    seen.push(record);
  };
}

function lossEvaluate(net: ReturnType<typeof mlp>, x: tf.Tensor, y: tf.Tensor) {
  return async (params: Params) => {
    const loss = tf.tidy(() => softmaxCrossEntropy(net.apply(params, x), y));
    const value = (await loss.data())[0] as number;
    loss.dispose();
    return { loss: value, accuracy: 1 / (1 + value) };
  };
}

/** The pruning rule in float64, from the trained values the test read. */
function expectedMask(trained: Float32Array, previous: Float32Array, rate: number): Float32Array {
  const kept = [...previous.keys()].filter((i) => previous[i] === 1);
  const order = kept.sort(
    (a, b) => Math.abs(trained[a] as number) - Math.abs(trained[b] as number) || a - b,
  );
  const mask = Float32Array.from(previous);
  for (const i of order.slice(0, Math.round(rate * kept.length))) mask[i] = 0;
  return mask;
}

forEachBackend('imp (iterative magnitude pruning with rewinding)', () => {
  for (const rewindTo of [0, 2]) {
    it(`prunes the trained magnitudes, rewinds to step ${rewindTo}, never revives, leaks nothing`, async () => {
      const net = mlp({ sizes: SIZES, seed: 3 });
      const { x, y } = problem();
      const seen: Seen[] = [];
      const onRound: number[] = [];
      const before = tf.memory().numTensors;
      const result = await imp({
        model: net,
        train: recordingTrain(net, x, y, seen),
        evaluate: lossEvaluate(net, x, y),
        rounds: 3,
        rate: RATE,
        rates: RATES,
        rewindTo,
        evaluateEvery: 2,
        onRound: (report) => {
          onRound.push(report.round);
        },
      });
      expect(tf.memory().numTensors).toBe(before);
      expect(onRound).toEqual([0, 1, 2, 3]);
      expect(result.rounds.map((r) => r.round)).toEqual([0, 1, 2, 3]);
      expect(seen.map((s) => s.round)).toEqual([0, 1, 2, 3]);
      const initial = await read(net.params);
      const rewind = rewindTo === 0 ? initial : ((seen[0] as Seen).atStep[rewindTo] as never);
      const weights = ['dense1/kernel', 'dense2/kernel', 'dense3/kernel'];
      let previous: Record<string, Float32Array> = Object.fromEntries(
        weights.map((k) => [k, new Float32Array((initial[k] as Float32Array).length).fill(1)]),
      );
      for (let r = 0; r <= 3; r++) {
        const ticket = result.tickets[r];
        const report = result.rounds[r];
        if (ticket === undefined || report === undefined) throw new Error(`round ${r} missing`);
        expect(ticket.rewindStep).toBe(rewindTo);
        const masks = ticket.masks();
        const params = ticket.params();
        const maskValues = await read(masks);
        expect(Object.keys(maskValues)).toEqual(weights);
        const expected =
          r === 0
            ? previous
            : Object.fromEntries(
                weights.map((k) => [
                  k,
                  expectedMask(
                    (seen[r - 1] as Seen).end[k] as Float32Array,
                    previous[k] as Float32Array,
                    k === 'dense3/kernel' ? 0.1 : RATE,
                  ),
                ]),
              );
        for (const k of weights) {
          expect(maskValues[k], `round ${r} ${k}`).toEqual(expected[k]);
          const kept = (expected[k] as Float32Array).reduce((s, v) => s + v, 0);
          expect(report.density.perParameter[k]?.kept).toBe(kept);
        }
        // The ticket holds the rewind weights, and training starts from θ_k ⊙ m exactly.
        expect(await read(params)).toEqual(rewind);
        if (r > 0) {
          const start = (seen[r] as Seen).start;
          for (const k of Object.keys(rewind)) {
            const m = maskValues[k];
            const want = (rewind[k] as Float32Array).map((v, i) =>
              m === undefined ? v : v * (m[i] as number),
            );
            expect(start[k], `round ${r} start ${k}`).toEqual(want);
          }
        }
        disposeParams(masks);
        disposeParams(params);
        previous = expected;
        // Evaluations every 2 steps from the start step, and after the last one.
        const run = report.ticket;
        const startStep = r === 0 ? 0 : rewindTo;
        expect(run.startStep).toBe(startStep);
        expect(run.endStep).toBe(STEPS);
        const steps = run.evaluations.map((e) => e.step);
        expect(steps).toEqual(r === 0 || rewindTo === 0 ? [2, 4, 6] : [4, 6]);
        const least = Math.min(...run.evaluations.map((e) => e.loss));
        expect(run.earlyStop.loss).toBe(least);
        expect(run.final.step).toBe(STEPS);
        expect(run.seconds).toBeGreaterThanOrEqual(run.evaluationSeconds);
      }
      // The densities follow the counting rule exactly.
      const dense1 = result.rounds.map((r) => r.density.perParameter['dense1/kernel']?.kept);
      expect(dense1).toEqual([60, 42, 29, 20]);
      const dense3 = result.rounds.map((r) => r.density.perParameter['dense3/kernel']?.kept);
      expect(dense3).toEqual([24, 22, 20, 18]);
      disposeParams(net.params);
      tf.dispose([x, y]);
    });
  }

  it('trains the controls at the round’s densities: random reinit (fresh θ, same masks) and random pruning (same θ, same counts)', async () => {
    const net = mlp({ sizes: SIZES, seed: 4 });
    const { x, y } = problem();
    const seen: Seen[] = [];
    const fresh: Array<Record<string, Float32Array>> = [];
    const before = tf.memory().numTensors;
    const result = await imp({
      model: net,
      train: recordingTrain(net, x, y, seen),
      evaluate: lossEvaluate(net, x, y),
      rounds: 2,
      rate: RATE,
      controls: {
        randomReinit: (round) => {
          const other = mlp({ sizes: SIZES, seed: 100 + round });
          return other.params;
        },
        randomPruning: true,
      },
      rng: new Rng(9),
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(seen.map((s) => `${s.round}:${s.kind}`)).toEqual([
      '0:ticket',
      '1:ticket',
      '1:randomReinit',
      '1:randomPruning',
      '2:ticket',
      '2:randomReinit',
      '2:randomPruning',
    ]);
    const initial = await read(net.params);
    for (const round of [1, 2]) {
      const other = mlp({ sizes: SIZES, seed: 100 + round });
      fresh.push(await read(other.params));
      disposeParams(other.params);
      const ticket = result.tickets[round];
      if (ticket === undefined) throw new Error('missing ticket');
      const masks = await read(ticket.masks() as Record<string, tf.Tensor>);
      const reinit = seen.find((s) => s.round === round && s.kind === 'randomReinit') as Seen;
      const randomlyPruned = seen.find(
        (s) => s.round === round && s.kind === 'randomPruning',
      ) as Seen;
      for (const [k, m] of Object.entries(masks)) {
        const f = fresh[round - 1]?.[k] as Float32Array;
        expect(reinit.start[k]).toEqual(f.map((v, i) => v * (m[i] as number)));
        // Random pruning: the ticket's θ₀ where its own mask keeps, as many kept as the ticket.
        const start = randomlyPruned.start[k] as Float32Array;
        const keptCount = m.reduce((s, v) => s + v, 0);
        let kept = 0;
        start.forEach((v, i) => {
          if (v !== 0) {
            kept++;
            expect(v).toBe((initial[k] as Float32Array)[i]);
          }
        });
        expect(kept).toBe(keptCount);
      }
      const report = result.rounds[round];
      expect(report?.randomReinit?.kind).toBe('randomReinit');
      expect(report?.randomReinit?.startStep).toBe(0);
      expect(report?.randomPruning?.density).toBe(report?.ticket.density);
    }
    disposeParams(net.params);
    tf.dispose([x, y]);
  });

  it('a ticket exported to JSON and reloaded trains to the same result as in imp', async () => {
    const net = mlp({ sizes: SIZES, seed: 5 });
    const { x, y } = problem();
    const seen: Seen[] = [];
    const train = recordingTrain(net, x, y, seen);
    const evaluate = lossEvaluate(net, x, y);
    const result = await imp({ model: net, train, evaluate, rounds: 2, rate: RATE });
    const last = result.tickets[2];
    if (last === undefined) throw new Error('missing ticket');
    const reloaded = ticketFromJSON(JSON.stringify(last));
    const report = await expectNoLeaks(() => trainTicket(reloaded, { train, evaluate }));
    expect(report.final).toEqual(result.rounds[2]?.ticket.final);
    expect((seen.at(-1) as Seen).end).toEqual((seen[2] as Seen).end);
    disposeParams(net.params);
    tf.dispose([x, y]);
  });

  it('refuses a train that changes pruned weights, and a dense run shorter than rewindTo, leaking nothing', async () => {
    const net = mlp({ sizes: SIZES, seed: 6 });
    const { x, y } = problem();
    const evaluate = lossEvaluate(net, x, y);
    const unmasked = async (run: TrainingRun) => {
      const opt = sgd({ learningRate: 0.2 });
      for (let s = 0; s < 2; s++) {
        opt.minimize(
          () => softmaxCrossEntropy(net.apply(run.params, x, { training: true }), y) as tf.Scalar,
          false,
          Object.values(run.params),
        );
        await run.step();
      }
      opt.dispose();
    };
    await expectNoLeaks(() =>
      expect(imp({ model: net, train: unmasked, evaluate, rounds: 1 })).rejects.toMatchObject({
        code: 'BAD_ARGUMENT',
        message: expect.stringContaining('imp.train changed pruned weights of "dense1/kernel"'),
      }),
    );
    await expectNoLeaks(() =>
      expect(
        imp({ model: net, train: unmasked, evaluate, rounds: 1, rewindTo: 5 }),
      ).rejects.toMatchObject({
        code: 'BAD_HYPERPARAM',
        message: expect.stringContaining(
          'imp.rewindTo is 5, but the dense training made only 2 steps',
        ),
      }),
    );
    disposeParams(net.params);
    tf.dispose([x, y]);
  });
});
