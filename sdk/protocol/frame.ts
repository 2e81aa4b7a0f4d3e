/**
 * The shell ⇄ plugin iframe protocol (ARCHITECTURE.md "Contracts live in one place each").
 * The shell creates a MessageChannel per iframe, binds the plugin id to its end, and hands
 * the other end to the frame in a {@link FramePortMessage}. The frame never names a plugin id.
 */
import type { EntityType, SlotType } from './capabilities.ts';
import type { Json } from './json.ts';

/** `context` of docs/plugin-api.md §7, handed to every plugin component as a prop. */
export interface HostContext {
  pluginId: string;
  slotType: SlotType;
  slotId: string;
  entityType?: EntityType;
  entityId?: string;
  projectId?: string;
  parentEntityId?: string;
  renderEnvironment?: string;
  theme: 'light' | 'dark';
}

/** What the frame document needs to mount a component. */
export interface FrameInit {
  context: HostContext;
  /** URL of the plugin's UI module. */
  moduleUrl: string;
  /** The named export to render. */
  exportName: string;
  /**
   * `content` (default): the shell sizes the frame to its content, so the document never scrolls
   * itself (a scroll position that snaps back when the frame grows would move what the user is
   * about to click). `fill`: the frame has the size of its place (pages, overlays) and scrolls.
   */
  sizing?: 'content' | 'fill';
}

/** Sent once by the shell with `postMessage(msg, '*', [port])` after the frame loads. */
export interface FramePortMessage { type: 'plinth:port'; init: FrameInit }

/** Requests from frame to shell over the port. */
export type FrameRequest =
  | { id: number; method: 'data'; key: string; params: Json }
  | { id: number; method: 'action'; key: string; params: Json }
  | { id: number; method: 'navigate'; to: string }
  | { id: number; method: 'close' }
  | { id: number; method: 'stream.subscribe'; channel: string }
  | { id: number; method: 'stream.close'; channel: string };

/** Messages from shell to frame over the port. */
export type FrameMessage =
  | { type: 'response'; id: number; ok: true; value: Json }
  | { type: 'response'; id: number; ok: false; error: { code: string; message: string } }
  | { type: 'context'; context: HostContext }
  /** The shell's watchdog: the frame answers with a `pong` notice of the same `seq`. */
  | { type: 'ping'; seq: number }
  | { type: 'stream'; channel: string; event: Json }
  | { type: 'stream.state'; channel: string; connected: boolean; error?: string };

/** Frame → shell notifications that need no answer. */
export type FrameNotice =
  | { type: 'resize'; height: number }
  | { type: 'rendered' }
  | { type: 'pong'; seq: number }
  /** Esc pressed in the frame and not handled by the plugin (`preventDefault`): an overlay closes. */
  | { type: 'escape' }
  | { type: 'error'; message: string };
