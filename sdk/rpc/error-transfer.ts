/**
 * Replaces comlink's `throw` transfer handler. The stock one sends only `{ message, name,
 * stack }` of an Error, so `code` and `data` are lost across the hop and callers could not
 * branch on `code` (sdk/protocol/errors.ts). This one sends the full {@link WireError}.
 */
import { transferHandlers, type TransferHandler } from 'comlink';
import { toWireError } from '../protocol/errors.ts';
import { errorFromWire } from './wire.ts';

/** Marks our handler so installing twice (two SDK copies in one process) is a no-op. */
const PLINTH_HANDLER = Symbol.for('plinth.rpc.throwHandler');

interface ThrownValue { value: unknown }
interface SerializedThrow { isError: boolean; value: unknown }

/**
 * Installs the code-preserving `throw` handler into comlink's (process-wide) handler map.
 * Idempotent. The stock handler's `canHandle` is reused because comlink's thrown-value
 * marker symbol is private to it.
 */
export function installErrorTransferHandler(): void {
  const current = transferHandlers.get('throw') as (TransferHandler<unknown, unknown> & { [PLINTH_HANDLER]?: true }) | undefined;
  if (!current || current[PLINTH_HANDLER]) return;
  const handler: TransferHandler<ThrownValue, SerializedThrow> & { [PLINTH_HANDLER]: true } = {
    [PLINTH_HANDLER]: true,
    canHandle: (value: unknown): value is ThrownValue => current.canHandle(value),
    // Served handlers are wrapped with normalizeError first, so a code is always present;
    // INTERNAL only covers a value thrown past that wrapper.
    serialize: ({ value }) => [{ isError: true, value: toWireError(value, 'INTERNAL') }, []],
    deserialize: (serialized) => {
      throw errorFromWire(serialized);
    },
  };
  transferHandlers.set('throw', handler as TransferHandler<unknown, unknown>);
}
