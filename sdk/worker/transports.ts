/**
 * Worker-side adapters from the two process transports to a {@link RawEndpoint}: Node's IPC
 * channel (`child_process.fork`, JSON serialisation) and the MessagePort Electron's
 * utilityProcess hands over through `process.parentPort`. The host side lives in the launchers.
 */
import process from 'node:process';
import type { RawEndpoint } from '../rpc/endpoint.ts';

/** The bits of Electron's `MessagePortMain` used here (the SDK never imports 'electron'). */
export interface MessagePortLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  off(event: 'message', listener: (event: { data: unknown }) => void): unknown;
  start(): void;
  close(): void;
}

/** The bits of Electron's `process.parentPort` used here. */
export interface ParentPortLike {
  once(event: 'message', listener: (event: { data: unknown; ports: MessagePortLike[] }) => void): unknown;
}

/**
 * The Node IPC channel of this process as an endpoint. `onDisconnect` runs when the host
 * closes the channel or goes away.
 */
export function nodeIpcEndpoint(onDisconnect: () => void): RawEndpoint {
  process.on('disconnect', onDisconnect);
  return {
    // Node writes each message as one JSON line; the host reads and parses those lines itself
    // (ipc-lines-endpoint.ts), except on Windows, where the host uses Node's own channel.
    postsJson: process.platform !== 'win32',
    parsesJson: true,
    postMessage(message) {
      // The callback swallows "channel closed" errors: the disconnect handler ends the process.
      if (process.connected && process.send) process.send(message as never, undefined, undefined, () => undefined);
    },
    onMessage(listener) {
      const handler = (message: unknown) => listener(message);
      process.on('message', handler);
      return () => process.off('message', handler);
    },
    close() {
      if (process.connected) process.disconnect?.();
    },
  };
}

/** An Electron MessagePort as an endpoint. `onClose` runs when the host closes its end. */
export function messagePortEndpoint(port: MessagePortLike, onClose: () => void): RawEndpoint {
  port.on('close', onClose);
  return {
    postMessage: (message) => port.postMessage(message),
    onMessage(listener) {
      const handler = (event: { data: unknown }) => listener(event.data);
      port.on('message', handler);
      port.start();
      return () => port.off('message', handler);
    },
    close: () => port.close(),
  };
}
