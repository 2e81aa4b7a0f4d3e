/**
 * `connectRpc`: serves the local API and calls the remote one over ONE raw endpoint with
 * comlink. A small multiplexer tags each message with its channel so both directions share
 * the pipe, enforces {@link MAX_MESSAGE_BYTES} before anything is sent, filters what the
 * untrusted peer may ask of comlink, and holds outgoing messages until the peer is listening.
 */
import { expose, wrap, type Endpoint } from 'comlink';
import { setImmediate } from 'node:timers';
import { PlinthError, type ErrorCode } from '../protocol/errors.ts';
import type { RawEndpoint } from './endpoint.ts';
import { installErrorTransferHandler } from './error-transfer.ts';
import type { RpcArgs, RpcCaller, RpcHandlers, RpcResult, RpcSide } from './types.ts';
import {
  checkRequest, checkResponse, encodeEnvelope, errorResponse, isHello, issuedErrorKey, namespacePeerError, normalizeError, readEnvelope,
  type Channel, type Envelope, type HelloMessage, type RequestMessage,
} from './wire.ts';

/** A live connection: typed calls to the peer plus `close`. */
export interface RpcConnection<Remote> extends RpcCaller<Remote> {
  /**
   * Stops serving and calling. Every call in flight rejects with `reason` (default
   * `NOT_READY`), later calls too. Does not close the raw endpoint; its owner does.
   */
  close(reason?: Error): void;
  /** True after {@link RpcConnection.close}. */
  readonly closed: boolean;
}

/** Options of {@link connectRpc}. */
export interface RpcOptions {
  /**
   * Told once when the peer sends something that is not an RPC envelope (bytes a transport could
   * not frame, non-JSON, no channel tag); later messages are ignored. The host ends that worker.
   * Without it such messages are dropped.
   */
  onMalformed?: (reason: string) => void;
  /**
   * Rewrites an error a served handler threw before it is normalised and sent (the worker's
   * sandbox adds its explanations); one place per call instead of a wrapper around each handler.
   */
  explainError?: (error: unknown) => unknown;
}

/** Errors the host sent its worker that a relay by the worker may repeat with their code; older ones are forgotten. */
const ISSUED_ERRORS_KEPT = 256;

type Listener = (event: MessageEvent) => void;
type EndpointListener = Parameters<Endpoint['addEventListener']>[1];
type ChannelEndpoint = Endpoint & { deliver(message: unknown): void; clear(): void };

/** A comlink endpoint whose `postMessage` is `post` and whose listeners get `deliver`ed messages. */
function channelEndpoint(post: (message: unknown) => void): ChannelEndpoint {
  const listeners = new Set<EndpointListener>();
  return {
    postMessage: (message: unknown) => post(message),
    addEventListener: (type: string, listener: EndpointListener) => {
      if (type === 'message') listeners.add(listener);
    },
    removeEventListener: (_type: string, listener: EndpointListener) => {
      listeners.delete(listener);
    },
    deliver(message) {
      const event = { data: message } as MessageEvent;
      for (const l of listeners) {
        if (typeof l === 'function') (l as Listener)(event);
        else l.handleEvent(event);
      }
    },
    clear: () => listeners.clear(),
  };
}

/**
 * Connects one side of a host ⇄ worker pipe.
 *
 * @param raw the transport endpoint; it carries JSON text only.
 * @param side `host` serves worker → host calls (`w2h`) and calls `h2w`; `worker` the reverse.
 * @param localApi handlers served to the peer; only its own function-valued keys are callable.
 * @param options `onMalformed`: what to do when the peer sends something that is not an envelope.
 * @returns a connection whose `call(method, ...args)` is typed by `Remote`.
 *
 * Errors: a request or response over `MAX_MESSAGE_BYTES` is never sent; the caller's promise
 * rejects with `PAYLOAD_TOO_LARGE` (for a response, the callee sends that error instead).
 * Values JSON cannot represent reject with `INVALID_INPUT` (arguments) or, for results, the
 * code a handler error without one gets (`INTERNAL` served by the host, `PLUGIN_ERROR` by the
 * worker). Thrown errors keep `{ name, message, code, data, stack }`, except that on the host
 * side a worker's error with a host-only code (`HOST_RESERVED_CODES`) becomes `PLUGIN_ERROR`
 * (claimed code in `data.pluginCode`) unless it repeats an error this host sent that worker.
 */
export function connectRpc<Local, Remote>(
  raw: RawEndpoint, side: RpcSide, localApi: RpcHandlers<Local>, options: RpcOptions = {},
): RpcConnection<Remote> {
  installErrorTransferHandler();
  const servedCh: Channel = side === 'host' ? 'w2h' : 'h2w';
  const calledCh: Channel = side === 'host' ? 'h2w' : 'w2h';
  // Code of errors a served handler throws without a Plinth code: a host bug, or the plugin's own.
  const fallback: ErrorCode = side === 'host' ? 'INTERNAL' : 'PLUGIN_ERROR';
  const explainError = options.explainError;

  // Served object: null prototype, so no inherited member is reachable by name.
  const handlers = localApi as Record<string, (...args: unknown[]) => unknown>;
  const methods = new Set(Object.keys(handlers).filter((k) => typeof handlers[k] === 'function'));
  const served: Record<string, (...args: unknown[]) => Promise<unknown>> = Object.create(null);
  for (const method of methods) {
    served[method] = async (...args) => {
      try {
        return await handlers[method]!(...args);
      } catch (error) {
        throw normalizeError(explainError ? explainError(error) : error, fallback);
      }
    };
  }

  let closed = false;
  let malformed = false;
  let closeReason: Error = new PlinthError('NOT_READY', 'The RPC connection is closed');
  let peerListening = false;
  const held: unknown[] = [];
  /** Method of each request being served, by id, to name it in error messages. */
  const servingMethod = new Map<string, string>();
  const pending = new Set<(error: Error) => void>();
  // Host side: errors sent to the worker, so a worker relaying one keeps its code (namespacePeerError).
  const issued = new Set<string>();
  const rememberIssued = (message: unknown) => {
    if (side !== 'host') return;
    const value = (message as { type?: unknown; value?: { value?: { code?: unknown; message?: unknown } } }).value?.value;
    if ((message as { type?: unknown }).type !== 'HANDLER' || !value) return;
    const key = issuedErrorKey(value.code, value.message);
    issued.delete(key);
    issued.add(key);
    if (issued.size > ISSUED_ERRORS_KEPT) issued.delete(issued.values().next().value as string);
  };

  /**
   * What goes on the wire for an envelope whose JSON text passed the checks: the text, or the
   * envelope itself for a transport that writes each message as JSON text (`postsJson`), so no
   * JSON string travels inside a JSON message.
   */
  const wire = (envelope: Envelope, text: string): unknown => (raw.postsJson ? envelope : text);
  const send = (envelope: Envelope, text: string) => {
    if (closed) return;
    if (peerListening) raw.postMessage(wire(envelope, text));
    else held.push(wire(envelope, text));
  };

  // Responses to the peer's requests. An unsendable one is replaced by an error response.
  const serveEndpoint = channelEndpoint((message) => {
    const id = (message as { id?: unknown }).id;
    if (typeof id !== 'string') return;
    const method = servingMethod.get(id) ?? 'the call';
    servingMethod.delete(id);
    const envelope: Envelope = { ch: servedCh, m: message };
    const encoded = encodeEnvelope(envelope);
    if (encoded.ok) {
      rememberIssued(message);
      return send(envelope, encoded.text);
    }
    const error = encoded.tooLarge
      ? new PlinthError('PAYLOAD_TOO_LARGE', `The result of ${method} is ${encoded.message}; return less data per call`)
      : new PlinthError(fallback, `The result of ${method} is ${encoded.message}; only JSON values cross the process boundary`);
    const refusal: Envelope = { ch: servedCh, m: errorResponse(id, error) };
    const refusalText = encodeEnvelope(refusal);
    if (refusalText.ok) send(refusal, refusalText.text);
  });

  // Our requests to the peer. An unsendable one never leaves: its caller gets the error.
  const callEndpoint = channelEndpoint((message) => {
    const request = message as Partial<RequestMessage>;
    if (closed || request.type !== 'APPLY' || typeof request.id !== 'string') return; // e.g. comlink's RELEASE
    const envelope: Envelope = { ch: calledCh, m: message };
    const encoded = encodeEnvelope(envelope);
    if (encoded.ok) return send(envelope, encoded.text);
    const method = request.path?.[0] ?? 'a method';
    const error = encoded.tooLarge
      ? new PlinthError('PAYLOAD_TOO_LARGE', `The arguments of ${method} are ${encoded.message}; send less data per call`)
      : new PlinthError('INVALID_INPUT', `The arguments of ${method} are ${encoded.message}; only JSON values cross the process boundary`);
    const response = errorResponse(request.id, error);
    setImmediate(() => callEndpoint.deliver(response));
  });

  const sayHello = (reply: boolean) => {
    const envelope: Envelope = { ch: 'ctl', m: { hello: true, reply } satisfies HelloMessage };
    const encoded = encodeEnvelope(envelope);
    if (encoded.ok) raw.postMessage(wire(envelope, encoded.text));
  };

  const unsubscribe = raw.onMessage((data) => {
    if (closed || malformed) return;
    const envelope = readEnvelope(data, raw.parsesJson === true);
    if ('malformed' in envelope) {
      if (options.onMalformed) {
        malformed = true;
        options.onMalformed(envelope.malformed);
      }
      return;
    }
    if (envelope.ch === 'ctl') {
      if (!isHello(envelope.m)) return;
      if (!envelope.m.reply) sayHello(true);
      if (!peerListening) {
        peerListening = true;
        for (const message of held.splice(0)) raw.postMessage(message);
      }
    } else if (envelope.ch === servedCh) {
      const checked = checkRequest(envelope.m, methods);
      if (checked.ok) {
        servingMethod.set(checked.request.id, checked.request.path[0]);
        serveEndpoint.deliver(checked.request);
      } else if (checked.id !== undefined) {
        const refusal: Envelope = { ch: servedCh, m: errorResponse(checked.id, checked.error) };
        const encoded = encodeEnvelope(refusal);
        if (encoded.ok) send(refusal, encoded.text);
      }
    } else {
      const response = checkResponse(envelope.m);
      if (response) callEndpoint.deliver(side === 'host' ? namespacePeerError(response, (key) => issued.has(key)) : response);
    }
  });

  expose(served, serveEndpoint);
  const remote = wrap<Record<string, (...args: unknown[]) => Promise<unknown>>>(callEndpoint) as unknown as Record<
    string, (...args: unknown[]) => Promise<unknown>
  >;
  sayHello(false);
  // One comlink proxy per method, made on first use: every `remote[method]` read would create
  // a new Proxy and register it with comlink's FinalizationRegistry.
  const methodProxies = new Map<string, (...args: unknown[]) => Promise<unknown>>();
  const remoteMethod = (method: string) => {
    let fn = methodProxies.get(method);
    if (!fn) methodProxies.set(method, (fn = remote[method]!));
    return fn;
  };

  return {
    get closed() {
      return closed;
    },
    call<M extends keyof Remote & string>(method: M, ...args: RpcArgs<Remote, M>): Promise<RpcResult<Remote, M>> {
      if (closed) return Promise.reject(closeReason);
      return new Promise<RpcResult<Remote, M>>((resolve, reject) => {
        pending.add(reject);
        remoteMethod(method)(...args).then(
          (value) => {
            pending.delete(reject);
            resolve(value as RpcResult<Remote, M>);
          },
          (error: unknown) => {
            pending.delete(reject);
            reject(error);
          },
        );
      });
    },
    close(reason) {
      if (closed) return;
      closed = true;
      if (reason) closeReason = reason;
      unsubscribe();
      held.length = 0;
      serveEndpoint.clear();
      callEndpoint.clear();
      for (const reject of pending) reject(closeReason);
      pending.clear();
    },
  };
}
