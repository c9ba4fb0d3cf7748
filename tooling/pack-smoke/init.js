await core.useBackend('wasm');
const w = pkg.heNormal([400, 300], { seed: 1 });
const values = await w.data();
let sum = 0;
for (const v of values) sum += v * v;
const variance = sum / values.length;
check(Math.abs(variance / (2 / 400) - 1) < 0.05, `heNormal variance ${variance}, expected 2/400`);
report(`heNormal([400, 300]) variance ${variance.toFixed(5)} (2/fanIn = 0.005)`);
