/**
 * The global object a sandboxed plugin sees (docs/plugin-api.md §5, API 1.1): the ECMAScript built-ins
 * plus an explicit allowlist of Web APIs, every other global deleted (`process`, `Buffer`,
 * `fetch`, `WebSocket`, `navigator`, `performance`, Node's module globals…). Timers and
 * `console` are replaced by wrappers that hand out no Node internals: Node's `Timeout`
 * objects link to every other timer of the process and its console to `process.stdout`.
 * The kept globals are made read-only, so plugin code cannot swap what the runtime uses.
 */
import { format } from 'node:util';
import {
  clearImmediate as rawClearImmediate, clearInterval as rawClearInterval, clearTimeout as rawClearTimeout,
  setImmediate as rawSetImmediate, setInterval as rawSetInterval, setTimeout as rawSetTimeout,
} from 'node:timers';
import type { LogLevel } from '../../protocol/rpc.ts';
import { WORKER_RUNTIME_KEY } from '../runtime-global.ts';

/** The ECMAScript global names (ECMA-262 2025 §19 plus shipped proposals), plus `harden` from SES. */
const ECMASCRIPT_GLOBALS = [
  'globalThis', 'Infinity', 'NaN', 'undefined', 'eval', 'isFinite', 'isNaN', 'parseFloat', 'parseInt',
  'decodeURI', 'decodeURIComponent', 'encodeURI', 'encodeURIComponent', 'escape', 'unescape',
  'AggregateError', 'Array', 'ArrayBuffer', 'Atomics', 'BigInt', 'BigInt64Array', 'BigUint64Array', 'Boolean',
  'DataView', 'Date', 'Error', 'EvalError', 'FinalizationRegistry', 'Float16Array', 'Float32Array', 'Float64Array',
  'Function', 'Int8Array', 'Int16Array', 'Int32Array', 'Iterator', 'JSON', 'Map', 'Math', 'Number', 'Object',
  'Promise', 'Proxy', 'RangeError', 'ReferenceError', 'Reflect', 'RegExp', 'Set', 'SharedArrayBuffer', 'String',
  'Symbol', 'SyntaxError', 'TypeError', 'Uint8Array', 'Uint8ClampedArray', 'Uint16Array', 'Uint32Array', 'URIError',
  'WeakMap', 'WeakRef', 'WeakSet', 'SuppressedError', 'DisposableStack', 'AsyncDisposableStack', 'Intl', 'WebAssembly',
  'harden',
] as const;

/** The Web APIs of the allowlist (issue text of the sandbox; docs/plugin-api.md §5). Timers and console are wrapped. */
const WEB_GLOBALS = [
  'queueMicrotask', 'structuredClone', 'atob', 'btoa', 'TextEncoder', 'TextDecoder', 'URL', 'URLSearchParams',
  'AbortController', 'AbortSignal', 'Event', 'EventTarget', 'DOMException', 'crypto', 'Crypto', 'CryptoKey', 'SubtleCrypto',
] as const;

/** Globals the sandbox provides itself. */
const WRAPPED_GLOBALS = ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'clearImmediate', 'console'] as const;

/** Every global name a sandboxed plugin sees. */
export const SANDBOX_GLOBALS: readonly string[] = [...ECMASCRIPT_GLOBALS, ...WEB_GLOBALS, ...WRAPPED_GLOBALS];

/** Where the sandbox's `console` sends its lines: the plugin's log (`ctx.logger`). */
export type ConsoleSink = (level: LogLevel, message: string) => void;

interface NodeTimer { ref(): unknown; unref(): unknown; hasRef(): boolean; refresh?(): unknown; [Symbol.toPrimitive](): number }

/** A timer handle as plugins get it: the Node methods plugins use, nothing that links to other timers. */
export interface SandboxTimer {
  ref(): SandboxTimer;
  unref(): SandboxTimer;
  hasRef(): boolean;
  refresh(): SandboxTimer;
  [Symbol.toPrimitive](): number;
}

function timerApi() {
  const timers = new WeakMap<object, NodeTimer>();
  const handle = (timer: NodeTimer): SandboxTimer => {
    const h: SandboxTimer = Object.freeze({
      ref: () => (timer.ref(), h),
      unref: () => (timer.unref(), h),
      hasRef: () => timer.hasRef(),
      refresh: () => (timer.refresh?.(), h),
      [Symbol.toPrimitive]: () => timer[Symbol.toPrimitive](),
    });
    timers.set(h, timer);
    return h;
  };
  const callbackOf = (name: string, callback: unknown, args: unknown[]) => {
    if (typeof callback !== 'function') {
      throw new TypeError(`${name} needs a function; strings of code are not evaluated in the sandbox`);
    }
    // Called without a receiver: Node passes its Timeout object as `this`.
    return () => void Reflect.apply(callback, undefined, args);
  };
  const unwrap = (value: unknown) => (typeof value === 'object' && value !== null ? timers.get(value) : value) as never;
  return {
    setTimeout: (callback: unknown, ms?: number, ...args: unknown[]) => handle(rawSetTimeout(callbackOf('setTimeout', callback, args), ms) as never),
    setInterval: (callback: unknown, ms?: number, ...args: unknown[]) => handle(rawSetInterval(callbackOf('setInterval', callback, args), ms) as never),
    setImmediate: (callback: unknown, ...args: unknown[]) => {
      const immediate = rawSetImmediate(callbackOf('setImmediate', callback, args));
      const h = Object.freeze({
        ref: () => (immediate.ref(), h), unref: () => (immediate.unref(), h), hasRef: () => immediate.hasRef(),
      });
      timers.set(h, immediate as never);
      return h;
    },
    clearTimeout: (timer: unknown) => rawClearTimeout(unwrap(timer)),
    clearInterval: (timer: unknown) => rawClearInterval(unwrap(timer)),
    clearImmediate: (timer: unknown) => rawClearImmediate(unwrap(timer)),
  };
}

function consoleApi(sink: ConsoleSink) {
  const line = (level: LogLevel) => (...args: unknown[]) => sink(level, format(...args));
  const counts = new Map<string, number>();
  const started = new Map<string, number>();
  return {
    debug: line('debug'), log: line('info'), info: line('info'), warn: line('warn'), error: line('error'),
    trace: line('debug'), dir: line('info'), table: line('info'),
    assert: (condition: unknown, ...args: unknown[]) => {
      if (!condition) sink('error', `Assertion failed${args.length ? `: ${format(...args)}` : ''}`);
    },
    count: (label = 'default') => {
      const n = (counts.get(label) ?? 0) + 1;
      counts.set(label, n);
      sink('info', `${label}: ${n}`);
    },
    countReset: (label = 'default') => void counts.delete(label),
    time: (label = 'default') => void started.set(label, Date.now()),
    timeEnd: (label = 'default') => {
      const t0 = started.get(label);
      started.delete(label);
      if (t0 !== undefined) sink('info', `${label}: ${Date.now() - t0} ms`);
    },
    timeLog: (label = 'default', ...args: unknown[]) => {
      const t0 = started.get(label);
      if (t0 !== undefined) sink('info', `${label}: ${Date.now() - t0} ms${args.length ? ` ${format(...args)}` : ''}`);
    },
    group: line('info'), groupCollapsed: line('info'), groupEnd: () => undefined,
  };
}

/**
 * Reduces `globalThis` to {@link SANDBOX_GLOBALS}: deletes every other own property (string
 * or symbol, except the worker runtime's handshake key), installs the timer and console
 * wrappers, and makes every kept global non-writable and non-configurable. New globals can
 * still be added (polyfills), but none of the kept ones replaced.
 *
 * @throws Error when a global cannot be deleted (a Node change the sandbox must learn about).
 */
export function restrictGlobals(sink: ConsoleSink): void {
  const keep = new Set<PropertyKey>([...ECMASCRIPT_GLOBALS, ...WEB_GLOBALS, WORKER_RUNTIME_KEY]);
  const g = globalThis as Record<PropertyKey, unknown>;
  // Read lazily defined globals (Node's `crypto` getter) while their loaders still work.
  for (const name of WEB_GLOBALS) void g[name];
  for (const key of Reflect.ownKeys(g)) {
    if (keep.has(key)) continue;
    if (!Reflect.deleteProperty(g, key)) throw new Error(`The sandbox cannot remove the global ${String(key)}`);
  }
  const provided: Record<string, unknown> = { ...timerApi(), console: Object.freeze(consoleApi(sink)) };
  for (const [name, value] of Object.entries(provided)) {
    Object.defineProperty(g, name, { value: Object.freeze(value), writable: false, enumerable: false, configurable: false });
  }
  for (const key of Reflect.ownKeys(g)) {
    const descriptor = Object.getOwnPropertyDescriptor(g, key)!;
    if (!descriptor.configurable) continue;
    Object.defineProperty(g, key, 'value' in descriptor ? { ...descriptor, writable: false, configurable: false } : { ...descriptor, configurable: false });
  }
}
