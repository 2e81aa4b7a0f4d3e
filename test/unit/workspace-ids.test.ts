import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createIdGenerator } from '../../main/host/services/workspace/ids.ts';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test('ids are UUIDv7 and sort in the order they were made: same millisecond, counter overflow, clock stepping back', () => {
  const next = createIdGenerator();
  const t0 = new Date('2030-01-01T00:00:00.000Z');
  const ids = [
    ...Array.from({ length: 5000 }, () => next(t0)), // more than the 4096 a millisecond's counter holds
    next(new Date(t0.getTime() - 60_000)), //            the clock stepped back a minute
    next(new Date(t0.getTime() + 1)),
  ];
  for (const id of ids) assert.match(id, UUID_V7);
  assert.equal(new Set(ids).size, ids.length);
  assert.deepEqual([...ids].sort(), ids);
  assert.equal(parseInt(ids[0]!.replace(/-/g, '').slice(0, 12), 16), t0.getTime(), 'the id carries the write time');
});
