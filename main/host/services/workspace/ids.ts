/**
 * Ids of workspace rows: UUIDv7 strings (RFC 9562 §5.7) with a monotonic counter (§6.2,
 * method 1). Callers treat them as opaque; the host relies on one property: ids made by one
 * generator sort (as text) in the order they were made, so lists ordered by `(created_at, id)`
 * show rows made in the same millisecond in creation order, where random v4 ids would shuffle them.
 */
import { randomBytes } from 'node:crypto';

/** Bits of the per-millisecond counter (RFC 9562 `rand_a`). */
const COUNTER_BITS = 12;
const COUNTER_MAX = (1 << COUNTER_BITS) - 1;
/** A new millisecond starts its counter below this, leaving room for a burst in that millisecond. */
const COUNTER_START_LIMIT = 1 << (COUNTER_BITS - 2);

/** Makes ids; `at` is the write time (its milliseconds go into the id). */
export type IdGenerator = (at: Date) => string;

/** Creates a monotonic UUIDv7 generator: each id sorts after the previous one, even if the clock steps back. */
export function createIdGenerator(): IdGenerator {
  let lastMs = -1;
  let counter = 0;
  return (at) => {
    let ms = Math.max(at.getTime(), lastMs);
    if (ms > lastMs) {
      counter = randomBytes(2).readUInt16BE(0) % COUNTER_START_LIMIT;
    } else if (counter < COUNTER_MAX) {
      counter += 1;
    } else {
      // 4096 ids in one millisecond: borrow the next millisecond to stay ordered (RFC 9562 §6.2).
      ms += 1;
      counter = 0;
    }
    lastMs = ms;
    const bytes = randomBytes(16);
    bytes.writeUIntBE(ms, 0, 6);
    bytes[6] = 0x70 | (counter >> 8);
    bytes[7] = counter & 0xff;
    bytes[8] = 0x80 | (bytes[8]! & 0x3f);
    const hex = bytes.toString('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  };
}
