/** IPC channel names shared by the preload (preload/index.ts) and main (main/electron/ipc.ts). */

/** Prefix of the per-method call channels: `plinth:<MainMethod>`. */
export const IPC_CHANNEL_PREFIX = 'plinth:';
/** The one main → renderer channel; messages are `{ event, payload }` of `MainEvents`. */
export const EVENT_CHANNEL = 'plinth:event';
