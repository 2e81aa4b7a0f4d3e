import type { Json } from './json.ts';

/**
 * Error codes that cross the RPC boundaries. Every rejected host or worker call carries one,
 * so callers branch on `code`, never on message text.
 */
export const ERROR_CODES = [
  'CAPABILITY_DENIED', // the plugin did not declare the capability the call needs (docs/plugin-api.md §4)
  'TIMEOUT', //           the other side did not answer within its budget
  'PAYLOAD_TOO_LARGE', // a message over the RPC size cap
  'INVALID_INPUT', //     arguments failed validation
  'NOT_FOUND', //         unknown id, key, handler or plugin
  'CONFLICT', //          the call clashes with current state (e.g. name already installed)
  'NOT_READY', //         the plugin is not enabled or its worker cannot answer
  'WORKER_CRASHED', //    the worker process exited while the call was in flight
  'OUT_OF_MEMORY', //     the worker ran out of heap
  'PLUGIN_ERROR', //      the plugin's own handler threw
  'NETWORK_ERROR', //     an outbound request got no HTTP response (DNS, connection, TLS, too many redirects)
  'RATE_LIMITED', //      the caller sent more requests per second than its limit; slow down and retry
  'INTERNAL', //          a host bug; the message says what to report
] as const;

/** An error code of {@link ERROR_CODES}. */
export type ErrorCode = (typeof ERROR_CODES)[number];

/** An error with a machine-readable {@link ErrorCode}; the shape every boundary preserves. */
export class PlinthError extends Error {
  readonly code: ErrorCode;
  readonly data: Json | undefined;
  constructor(code: ErrorCode, message: string, data?: Json) {
    super(message);
    this.name = 'PlinthError';
    this.code = code;
    this.data = data;
  }
}

/** The JSON form of an error on the wire. */
export interface WireError {
  name: string;
  message: string;
  code: ErrorCode;
  data?: Json;
  stack?: string;
}

/** Serialises any thrown value; unknown errors from plugin code become `PLUGIN_ERROR`. */
export function toWireError(error: unknown, fallback: ErrorCode = 'PLUGIN_ERROR'): WireError {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return {
      name: error.name,
      message: error.message,
      code: typeof code === 'string' && (ERROR_CODES as readonly string[]).includes(code) ? (code as ErrorCode) : fallback,
      ...((error as { data?: Json }).data !== undefined ? { data: (error as { data?: Json }).data } : {}),
      ...(error.stack ? { stack: error.stack } : {}),
    };
  }
  return { name: 'Error', message: String(error), code: fallback };
}

/** Rebuilds a {@link PlinthError} from its wire form. */
export function fromWireError(wire: WireError): PlinthError {
  const error = new PlinthError(wire.code, wire.message, wire.data);
  if (wire.stack) error.stack = wire.stack;
  return error;
}

/** True when `error` carries the given code. */
export function hasCode(error: unknown, code: ErrorCode): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}
