const lr = pkg.warmupCosineDecay({ initValue: 0, peakValue: 1, warmupSteps: 10, decaySteps: 110 });
const mid = lr(60); // halfway through the cosine: (1 + cos(π/2)) / 2
check(
  lr(5) === 0.5 && Math.abs(mid - 0.5) < 1e-12 && lr(110) === 0,
  `warmupCosineDecay: ${lr(5)} ${mid} ${lr(110)}`,
);
check(core.scheduleFromConfig(lr.config)(60) === mid, 'scheduleFromConfig did not round-trip');
report('warmupCosineDecay values and its config round trip');
