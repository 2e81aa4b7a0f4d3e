/**
 * Types that turn a method map of `sdk/protocol/rpc.ts` (`HostApi`, `WorkerApi`) into typed
 * callers and handler tables, so no method name or argument list is ever written untyped.
 */

/** The argument tuple of method `M` of `Api`. */
export type RpcArgs<Api, M extends keyof Api> = Api[M] extends (...args: infer A) => unknown ? A : never;

/** What a call of method `M` of `Api` resolves to (the declared return type, awaited). */
export type RpcResult<Api, M extends keyof Api> = Api[M] extends (...args: never[]) => infer R ? Awaited<R> : never;

/**
 * A handler table serving `Api`: every method may answer synchronously or with a promise.
 * A plain `Api` implementation is assignable to it.
 */
export type RpcHandlers<Api> = {
  [M in keyof Api]: (...args: RpcArgs<Api, M>) => RpcResult<Api, M> | Promise<RpcResult<Api, M>>;
};

/** Calls methods of `Api` on the other side of a connection. */
export interface RpcCaller<Api> {
  /**
   * Calls `method` with `args` (JSON values only) and resolves with its result.
   * Rejects with a `PlinthError` whose `code` the other side chose, or `PAYLOAD_TOO_LARGE`
   * when the request would exceed `MAX_MESSAGE_BYTES`, or the connection's close reason.
   */
  call<M extends keyof Api & string>(method: M, ...args: RpcArgs<Api, M>): Promise<RpcResult<Api, M>>;
}

/** Which end of a host ⇄ worker connection this is. */
export type RpcSide = 'host' | 'worker';
