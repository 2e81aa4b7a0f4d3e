/**
 * Validation of what a plugin frame sends over its port. The frame runs untrusted code, so
 * every message is checked against sdk/protocol/frame.ts before the shell acts on it;
 * anything else is dropped. Pure: unit-tested in Node (test/unit/shell-frame-messages.test.ts).
 */
import type { FrameNotice, FrameRequest } from '../../sdk/protocol/frame.ts';
import type { Json } from '../../sdk/protocol/json.ts';
import { MAX_KEY_LENGTH } from '../../sdk/protocol/limits.ts';

/** Longest data/action key or stream channel a frame may send: the limit main's IPC schemas use. */
export { MAX_KEY_LENGTH };
/** Longest navigation target. */
export const MAX_NAVIGATE_LENGTH = 2048;
/** Deepest JSON nesting accepted in params; deeper values are refused rather than walked. */
export const MAX_JSON_DEPTH = 64;

/** A checked frame message. */
export type FrameInbound = { kind: 'request'; request: FrameRequest } | { kind: 'notice'; notice: FrameNotice };

/** True when `value` is plain JSON (no Dates, Maps, typed arrays, NaN, cycles) within {@link MAX_JSON_DEPTH}. */
export function isJson(value: unknown, depth = 0): value is Json {
  if (depth > MAX_JSON_DEPTH) return false;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every((item) => isJson(item, depth + 1));
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.values(value).every((item) => isJson(item, depth + 1));
  }
  return false;
}

function isKey(value: unknown, max = MAX_KEY_LENGTH): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= max;
}

/** Checks one message from a frame; `null` for anything malformed. */
export function parseFrameMessage(data: unknown): FrameInbound | null {
  if (typeof data !== 'object' || data === null) return null;
  const m = data as Record<string, unknown>;
  if (typeof m.type === 'string') {
    if (m.type === 'resize' && typeof m.height === 'number' && Number.isFinite(m.height) && m.height >= 0) {
      return { kind: 'notice', notice: { type: 'resize', height: m.height } };
    }
    if (m.type === 'rendered') return { kind: 'notice', notice: { type: 'rendered' } };
    if (m.type === 'escape') return { kind: 'notice', notice: { type: 'escape' } };
    if (m.type === 'pong' && typeof m.seq === 'number' && Number.isSafeInteger(m.seq)) return { kind: 'notice', notice: { type: 'pong', seq: m.seq } };
    if (m.type === 'error' && typeof m.message === 'string') {
      return { kind: 'notice', notice: { type: 'error', message: m.message.slice(0, MAX_NAVIGATE_LENGTH) } };
    }
    return null;
  }
  const id = m.id;
  if (typeof id !== 'number' || !Number.isSafeInteger(id)) return null;
  switch (m.method) {
    case 'data':
    case 'action':
      if (!isKey(m.key)) return null;
      if (m.params !== undefined && !isJson(m.params)) return null;
      return { kind: 'request', request: { id, method: m.method, key: m.key, params: (m.params as Json | undefined) ?? null } };
    case 'navigate':
      return isKey(m.to, MAX_NAVIGATE_LENGTH) ? { kind: 'request', request: { id, method: 'navigate', to: m.to } } : null;
    case 'close':
      return { kind: 'request', request: { id, method: 'close' } };
    case 'stream.subscribe':
    case 'stream.close':
      return isKey(m.channel) ? { kind: 'request', request: { id, method: m.method, channel: m.channel } } : null;
    default:
      return null;
  }
}
