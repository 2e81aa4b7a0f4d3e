import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLatencyRing, LATENCY_SAMPLES } from '../../main/host/supervision/latency-ring.ts';

test('the Running view\'s p50 is the median of the most recent calls only', () => {
  const ring = createLatencyRing();
  assert.equal(ring.median(), undefined, 'no call yet: no latency to show');
  for (const ms of [5, 1, 3]) ring.record(ms);
  assert.equal(ring.median(), 3);
  ring.record(2);
  assert.equal(ring.median(), 2, 'an even count takes the lower middle');
  // A burst of slow calls long ago is forgotten once as many fast ones have followed.
  for (let i = 0; i < LATENCY_SAMPLES; i++) ring.record(0.5);
  assert.equal(ring.median(), 0.5);
  for (let i = 0; i < LATENCY_SAMPLES / 2 + 1; i++) ring.record(40);
  assert.equal(ring.median(), 40);
});
