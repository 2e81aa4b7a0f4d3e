/**
 * The wire format of a host ⇄ worker connection. Every raw message is JSON text of an
 * {@link Envelope}; inside it travel comlink's own request/response messages. This module
 * encodes and measures envelopes, checks what arrives from the (untrusted) peer against the
 * narrow subset of comlink messages Plinth uses, and builds error responses.
 */
// Imported, not read from globalThis: a sandboxed worker has no global Buffer.
import { Buffer } from 'node:buffer';
import { ERROR_CODES, PlinthError, toWireError, type ErrorCode } from '../protocol/errors.ts';
import { MAX_MESSAGE_BYTES } from '../protocol/rpc.ts';
import { MalformedMessage } from './endpoint.ts';

/**
 * Channel tags. `h2w` carries host → worker calls (requests one way, their responses back),
 * `w2h` worker → host calls, `ctl` the start-up handshake.
 */
export type Channel = 'h2w' | 'w2h' | 'ctl';

/** One raw message: a channel tag and its payload. */
export interface Envelope { ch: Channel; m: unknown }

/** A call request, the only comlink message type a peer may send (`APPLY` of one method). */
export interface RequestMessage {
  id: string;
  type: 'APPLY';
  path: [string];
  argumentList: Array<{ type: 'RAW'; value?: unknown }>;
}

/** A call response: a plain value, or a thrown error carried by the `throw` transfer handler. */
export type ResponseMessage =
  | { id: string; type: 'RAW'; value?: unknown }
  | { id: string; type: 'HANDLER'; name: 'throw'; value: { isError: boolean; value: unknown } };

/** Start-up handshake: each side says hello; a hello that is not a reply gets one back. */
export interface HelloMessage { hello: true; reply: boolean }

/** Outcome of {@link encodeEnvelope}. */
export type EncodeResult = { ok: true; text: string } | { ok: false; tooLarge: boolean; message: string };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** UTF-8 length of `text` in bytes; cheap for the common case of clearly small messages. */
function utf8Bytes(text: string): number {
  // A UTF-16 unit is at most 3 UTF-8 bytes, so short strings need no exact count.
  if (text.length * 3 <= MAX_MESSAGE_BYTES) return text.length;
  return Buffer.byteLength(text, 'utf8');
}

/** Formats a byte count as MiB with one decimal, for messages. */
export function formatMiB(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

/**
 * Serialises an envelope to JSON text and checks it against {@link MAX_MESSAGE_BYTES}
 * (measured as UTF-8 bytes of that text). Never throws: values JSON cannot represent
 * (BigInt, cycles) come back as `{ ok: false, tooLarge: false }`.
 */
export function encodeEnvelope(envelope: Envelope): EncodeResult {
  let text: string;
  try {
    text = JSON.stringify(envelope);
  } catch (error) {
    return { ok: false, tooLarge: false, message: `not JSON (${(error as Error).message})` };
  }
  const bytes = utf8Bytes(text);
  if (bytes > MAX_MESSAGE_BYTES) {
    return { ok: false, tooLarge: true, message: `${formatMiB(bytes)} of JSON, over the ${formatMiB(MAX_MESSAGE_BYTES)} RPC message limit` };
  }
  return { ok: true, text };
}

/** Parses a raw message into an envelope, or `null` for anything that is not one (dropped). */
export function decodeEnvelope(raw: unknown): Envelope | null {
  const read = readEnvelope(raw);
  return 'malformed' in read ? null : read;
}

/**
 * Parses a raw message into an envelope, or says why it is not one.
 * @param acceptParsed also take an envelope the transport already parsed from JSON text
 *   (`RawEndpoint.parsesJson`: the worker side of Node's IPC channel, and the host's own line
 *   reader of a Node worker's pipe, which parses each line under a size limit), so no JSON
 *   string travels inside a JSON message. A MessagePort's endpoint does not set it, so a
 *   structured clone is never taken as parsed: only JSON text is read from it.
 */
export function readEnvelope(raw: unknown, acceptParsed = false): Envelope | { malformed: string } {
  if (raw instanceof MalformedMessage) return { malformed: raw.reason };
  if (acceptParsed && isRecord(raw)) return raw.ch === 'h2w' || raw.ch === 'w2h' || raw.ch === 'ctl' ? { ch: raw.ch, m: raw.m } : { malformed: 'an object that is not a Plinth RPC envelope' };
  if (typeof raw !== 'string') return { malformed: `a non-text message (${raw === null ? 'null' : typeof raw}) where RPC JSON text was expected` };
  if (utf8Bytes(raw) > MAX_MESSAGE_BYTES) return { malformed: `a message over the ${formatMiB(MAX_MESSAGE_BYTES)} RPC message limit` };
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return { malformed: `a message that is not JSON (${JSON.stringify(raw.slice(0, 40))}…)` };
  }
  if (!isRecord(parsed) || (parsed.ch !== 'h2w' && parsed.ch !== 'w2h' && parsed.ch !== 'ctl')) {
    return { malformed: 'JSON that is not a Plinth RPC envelope (no channel tag)' };
  }
  return { ch: parsed.ch, m: parsed.m };
}

/** True for a well-formed handshake message. */
export function isHello(m: unknown): m is HelloMessage {
  return isRecord(m) && m.hello === true && typeof m.reply === 'boolean';
}

/** The comlink response that makes the caller's promise reject with `error`. */
export function errorResponse(id: string, error: PlinthError): ResponseMessage {
  return { id, type: 'HANDLER', name: 'throw', value: { isError: true, value: toWireError(error) } };
}

/**
 * Checks a request from the peer. Only `APPLY` of one own method of the served API with
 * plain JSON arguments passes: comlink's `GET`/`SET`/`CONSTRUCT`/`ENDPOINT`/`RELEASE` and
 * nested paths would let an untrusted worker read or overwrite host objects.
 */
export function checkRequest(
  m: unknown, methods: ReadonlySet<string>,
): { ok: true; request: RequestMessage } | { ok: false; id: string | undefined; error: PlinthError } {
  const id = isRecord(m) && typeof m.id === 'string' ? m.id : undefined;
  const bad = (message: string, code: ErrorCode = 'INVALID_INPUT') => ({ ok: false as const, id, error: new PlinthError(code, message) });
  if (!isRecord(m) || id === undefined) return bad('Malformed RPC request: no id');
  if (m.type !== 'APPLY') return bad(`Unsupported RPC request type ${JSON.stringify(m.type)}; only method calls are served`);
  const path = m.path;
  if (!Array.isArray(path) || path.length !== 1 || typeof path[0] !== 'string') return bad('Malformed RPC request: path must name one method');
  const method = path[0];
  if (!methods.has(method)) return bad(`Unknown RPC method "${method}"`, 'NOT_FOUND');
  const args = m.argumentList ?? [];
  if (!Array.isArray(args) || !args.every((a) => isRecord(a) && a.type === 'RAW')) {
    return bad(`Malformed arguments of ${method}: only JSON values are accepted`);
  }
  return { ok: true, request: { id, type: 'APPLY', path: [method], argumentList: args as RequestMessage['argumentList'] } };
}

/**
 * Checks a response from the peer. Anything but a plain value or a `throw` error becomes an
 * error response (the peer cannot make this side deserialise proxies or ports); `null` when
 * there is no id to answer.
 */
export function checkResponse(m: unknown): ResponseMessage | null {
  if (!isRecord(m) || typeof m.id !== 'string') return null;
  if (m.type === 'RAW') return { id: m.id, type: 'RAW', value: m.value };
  if (m.type === 'HANDLER' && m.name === 'throw' && isRecord(m.value)) {
    return { id: m.id, type: 'HANDLER', name: 'throw', value: { isError: m.value.isError === true, value: m.value.value } };
  }
  return errorResponse(m.id, new PlinthError('INTERNAL', 'Malformed RPC response from the other side'));
}

/**
 * Codes only the host may give: a worker that sends one (other than relaying, word for word, an
 * error the host gave it) would make its own failure look like a host decision, e.g. a
 * capability denial or a timeout. `INVALID_INPUT`, `NOT_FOUND`, `CONFLICT`, `PLUGIN_ERROR` and
 * `PAYLOAD_TOO_LARGE` (the SDK's own result size guard) describe the plugin's own domain and pass.
 */
export const HOST_RESERVED_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'CAPABILITY_DENIED', 'TIMEOUT', 'NOT_READY', 'WORKER_CRASHED', 'OUT_OF_MEMORY', 'NETWORK_ERROR', 'RATE_LIMITED', 'INTERNAL',
]);

/** The key by which an error the host sent is recognised when a worker relays it. */
export function issuedErrorKey(code: unknown, message: unknown): string {
  return `${String(code)}\u0000${String(message)}`;
}

/**
 * Re-maps a worker's error response: a {@link HOST_RESERVED_CODES} code that `wasIssued` does
 * not recognise becomes `PLUGIN_ERROR`, the claimed code kept as `data.pluginCode` and the
 * plugin's message prefixed so no reader mistakes it for the host's.
 */
export function namespacePeerError(response: ResponseMessage, wasIssued: (key: string) => boolean): ResponseMessage {
  if (response.type !== 'HANDLER' || !isRecord(response.value.value)) return response;
  const wire = response.value.value;
  if (typeof wire.code !== 'string' || !HOST_RESERVED_CODES.has(wire.code as ErrorCode) || wasIssued(issuedErrorKey(wire.code, wire.message))) return response;
  const data = isRecord(wire.data) ? wire.data : wire.data === undefined ? {} : { value: wire.data };
  const value = { ...wire, code: 'PLUGIN_ERROR', message: `The plugin failed with its own error "${wire.code}": ${String(wire.message)}`, data: { ...data, pluginCode: wire.code } };
  return { ...response, value: { ...response.value, value } };
}

/** Rebuilds an error from its wire form, tolerating a malformed one from an untrusted peer. */
export function errorFromWire(serialized: { isError: boolean; value: unknown }): PlinthError {
  const v = serialized.value;
  if (!serialized.isError || !isRecord(v)) return new PlinthError('INTERNAL', `The other side threw a non-error: ${String(v)}`);
  const code = (ERROR_CODES as readonly unknown[]).includes(v.code) ? (v.code as ErrorCode) : 'INTERNAL';
  const error = new PlinthError(code, typeof v.message === 'string' ? v.message : String(v.message), v.data as never);
  if (typeof v.name === 'string') error.name = v.name;
  if (typeof v.stack === 'string') error.stack = v.stack;
  return error;
}

/**
 * Turns anything a served handler threw into an error that keeps a valid code: errors that
 * already carry one of {@link ERROR_CODES} pass unchanged, all others get `fallback`
 * (`PLUGIN_ERROR` in a worker, `INTERNAL` in the host) with their message, name and stack.
 */
export function normalizeError(error: unknown, fallback: ErrorCode): Error {
  const code = (error as { code?: unknown } | null)?.code;
  if (error instanceof Error && (ERROR_CODES as readonly unknown[]).includes(code)) return error;
  const normalized = new PlinthError(fallback, error instanceof Error ? error.message : String(error));
  if (error instanceof Error) {
    normalized.name = error.name;
    if (error.stack) normalized.stack = error.stack;
  }
  return normalized;
}
