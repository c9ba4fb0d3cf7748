/**
 * The counting rule of `prune`, on plain arrays (no tensors): which of the still-kept entries to
 * remove.
 */

/** One group of entries pruned together: its scores and its current 0/1 mask. */
export interface PruneGroup {
  scores: ArrayLike<number>;
  mask: Float32Array;
}

/** How many to remove: `round(rate × kept)`, or down to `round(density × total)`. */
export type PruneAmount = { rate: number } | { density: number };

/** The number of entries to remove from `kept` still-kept ones out of `total`. */
export function removeCount(amount: PruneAmount, kept: number, total: number): number {
  if ('rate' in amount) return Math.round(amount.rate * kept);
  return Math.max(0, kept - Math.round(amount.density * total));
}

/**
 * Sets to 0, in place, the mask entries of the `amount` lowest-scored still-kept entries of all
 * `groups` together: ordered by score, then group, then flat index (the lower first). With one
 * group this is layerwise pruning; with all of them, global pruning.
 */
export function pruneGroups(groups: readonly PruneGroup[], amount: PruneAmount): void {
  let total = 0;
  let kept = 0;
  for (const g of groups) {
    total += g.mask.length;
    for (let i = 0; i < g.mask.length; i++) if (g.mask[i] === 1) kept++;
  }
  const remove = removeCount(amount, kept, total);
  if (remove === 0) return;
  const groupOf = new Int32Array(kept);
  const indexOf = new Int32Array(kept);
  const scoreOf = new Float64Array(kept);
  let n = 0;
  groups.forEach((g, gi) => {
    for (let i = 0; i < g.mask.length; i++) {
      if (g.mask[i] !== 1) continue;
      groupOf[n] = gi;
      indexOf[n] = i;
      scoreOf[n] = g.scores[i] as number;
      n++;
    }
  });
  // Entries are collected in (group, index) order, so a stable sort by score breaks ties by them.
  const order = Array.from({ length: kept }, (_, k) => k);
  order.sort((a, b) => (scoreOf[a] as number) - (scoreOf[b] as number) || a - b);
  for (let r = 0; r < remove; r++) {
    const k = order[r] as number;
    (groups[groupOf[k] as number] as PruneGroup).mask[indexOf[k] as number] = 0;
  }
}
