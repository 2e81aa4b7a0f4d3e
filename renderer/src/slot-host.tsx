/**
 * `<SlotHost>` mounts one plugin component in a sandboxed iframe (opaque origin, no network)
 * and serves its requests. The plugin id is bound here from the contribution the host listed,
 * never read from the frame's messages, so a plugin UI can only reach its own worker and its
 * own worker's streams.
 *
 * - The frame is created when its box first scrolls into view (IntersectionObserver) and
 *   released when the host page unmounts it.
 * - A watchdog pings the frame every second; a frame silent for {@link FRAME_SILENCE_MS} is
 *   replaced by a placeholder naming the plugin with **Reload**, and the other frames go on.
 * - Only a hot reload of this frame's own plugin (`plugins.changed` with its id and `reload`)
 *   mounts it afresh; another plugin's crash, restart or state change never does.
 */
import { useCallback, useEffect, useRef, useState, type ReactNode, type RefObject } from 'react';
import type { LauncherContribution, SlotContribution } from '../../preload/api.ts';
import type { SlotType } from '../../sdk/protocol/capabilities.ts';
import type { FrameInit, FrameMessage, FramePortMessage, FrameRequest, HostContext } from '../../sdk/protocol/frame.ts';
import type { Json } from '../../sdk/protocol/json.ts';
import { parseFrameMessage } from './frame-messages.ts';
import { createFrameStreams, type FrameStreams } from './frame-streams.ts';
import { PluginIcon } from './plugin-icon.tsx';

/** Height of a frame before it reports its content (px). */
const INITIAL_FRAME_HEIGHT = 64;
/** Tallest a frame may grow (px), so a runaway layout cannot push the dashboard off screen forever. */
const MAX_FRAME_HEIGHT = 2000;
/** Requests a frame may have in flight; more are refused so one widget cannot flood the host. */
const MAX_IN_FLIGHT_REQUESTS = 32;
/**
 * Messages a frame may send in one second. Past it the frame is flooding (a real widget sends a
 * few dozen): the shell drops the frame and says so, so the flood stops costing the shell's
 * thread, which every other widget shares.
 */
const MAX_FRAME_MESSAGES_PER_SECOND = 2_000;
/** How long the shell gathers a plugin's in-flight refusals before it reports them to main in one call (ms). */
const REFUSAL_REPORT_DELAY_MS = 500;
/** The frame document when main gives no per-plugin `frameUrl`; served by the app protocol with its own CSP. */
const FRAME_DOCUMENT = '/frame.html';
/** How often the watchdog pings a frame (ms). */
export const FRAME_PING_INTERVAL_MS = 1_000;
/** A frame that has said nothing (no pong, no request) for this long is frozen and replaced (ms; the 5 s). */
export const FRAME_SILENCE_MS = 5_000;
/** Margin around the viewport within which a frame is already created (px): it is ready when scrolled to. */
const LAZY_ROOT_MARGIN = '200px';

/** What a frame shows: a slot's component, or a launcher's target component. */
export interface FrameTarget {
  pluginId: string;
  pluginDisplayName: string;
  pluginIcon?: string | undefined;
  moduleUrl: string;
  exportName: string;
  /** The slot type (for a launcher: its `placementZone`). */
  slotType: SlotType;
  /** The slot id (for a launcher: its id). */
  slotId: string;
  displayName: string;
  /** The frame document on the plugin's own origin, when main gives one. */
  frameUrl?: string | undefined;
}

/** A slot contribution as a frame target. */
export function slotTarget(c: SlotContribution): FrameTarget {
  return {
    pluginId: c.pluginId, pluginDisplayName: c.pluginDisplayName, pluginIcon: c.pluginIcon, moduleUrl: c.moduleUrl,
    exportName: c.slot.exportName, slotType: c.slot.type, slotId: c.slot.id, displayName: c.slot.displayName, frameUrl: c.frameUrl,
  };
}

/** A launcher's `action.target` component as a frame target. */
export function launcherTarget(c: LauncherContribution): FrameTarget {
  return {
    pluginId: c.pluginId, pluginDisplayName: c.pluginDisplayName, pluginIcon: c.pluginIcon, moduleUrl: c.moduleUrl,
    exportName: c.launcher.action.target, slotType: c.launcher.placementZone, slotId: c.launcher.id, displayName: c.launcher.displayName, frameUrl: c.frameUrl,
  };
}

/** The entity part of CONTRACT §7's context, set by the place a frame is mounted. */
export type FrameEntityContext = Pick<HostContext, 'entityType' | 'entityId' | 'projectId' | 'parentEntityId' | 'renderEnvironment'>;

/** Where a frame is: loading, showing the plugin, or showing an error box. */
export type SlotState = 'loading' | 'ready' | 'error';

/** Props of {@link SlotHost}. */
export interface SlotHostProps {
  target: FrameTarget;
  theme: 'light' | 'dark';
  /** Where the frame is mounted (CONTRACT §7); absent fields stay absent in the context. */
  context?: FrameEntityContext;
  /** Serves `useHostNavigation().navigate`; without it the frame gets `NOT_READY`. */
  onNavigate?: (to: string) => Promise<void> | void;
  /** Serves `useHostNavigation().close` (overlays only). */
  onClose?: () => void;
  /** Create the frame at once instead of when it scrolls into view (overlays, which are on screen when opened). */
  eager?: boolean;
  /** Fill the parent's height (overlays, pages) instead of following the content height. */
  fill?: boolean;
}

/** The module URL as a path on the shell's own origin: plugin code is only ever served by the app protocol. */
function frameModuleUrl(moduleUrl: string): string {
  const url = new URL(moduleUrl, window.location.href);
  return url.pathname + url.search;
}

function errorOf(error: unknown): { code: string; message: string } {
  const code = (error as { code?: unknown } | null)?.code;
  return {
    code: typeof code === 'string' ? code : 'INTERNAL',
    message: error instanceof Error ? error.message : String(error),
  };
}

const pendingRefusals = new Map<string, number>();
let refusalReport: number | undefined;

/**
 * Counts one request the shell refused for `pluginId` without sending it, and reports the
 * gathered counts to main (`plugin.refusedRequests`) within {@link REFUSAL_REPORT_DELAY_MS}:
 * one call per plugin per batch, so a flooding frame costs main one call, not one per refusal.
 */
function countRefused(pluginId: string): void {
  pendingRefusals.set(pluginId, (pendingRefusals.get(pluginId) ?? 0) + 1);
  refusalReport ??= window.setTimeout(() => {
    refusalReport = undefined;
    for (const [id, count] of pendingRefusals) void window.plinth.reportRefusedRequests(id, count).catch(() => undefined);
    pendingRefusals.clear();
  }, REFUSAL_REPORT_DELAY_MS);
}

/** Answers one frame request; the plugin id comes from the contribution, bound by the caller. */
async function serve(pluginId: string, request: FrameRequest, streams: FrameStreams, host: Pick<SlotHostProps, 'onNavigate' | 'onClose'>): Promise<Json> {
  switch (request.method) {
    case 'data':
      return window.plinth.pluginData(pluginId, request.key, request.params);
    case 'action':
      return window.plinth.pluginAction(pluginId, request.key, request.params);
    case 'stream.subscribe':
      return streams.subscribe(request.channel);
    case 'stream.close':
      return streams.close(request.channel);
    case 'navigate':
      if (!host.onNavigate) throw Object.assign(new Error('Navigation is not available in this view'), { code: 'NOT_READY' });
      await host.onNavigate(request.to);
      return null;
    case 'close':
      if (!host.onClose) throw Object.assign(new Error('close() applies to overlays only; this component is not in an overlay'), { code: 'INVALID_INPUT' });
      host.onClose();
      return null;
  }
}

/** Counts hot reloads of `pluginId` (`plugins.changed` with `reload: true`). */
function useReloadGeneration(pluginId: string): number {
  const [generation, setGeneration] = useState(0);
  useEffect(() => window.plinth.on('plugins.changed', (event) => {
    // Only this plugin's own reload: another plugin's change must never remount this frame.
    if (event.reload && event.pluginId === pluginId) setGeneration((g) => g + 1);
  }), [pluginId]);
  return generation;
}

/** True once `ref`'s element has come within {@link LAZY_ROOT_MARGIN} of the viewport. */
function useSeen(ref: RefObject<HTMLElement | null>, eager: boolean): boolean {
  const [seen, setSeen] = useState(eager);
  useEffect(() => {
    const element = ref.current;
    if (seen || !element) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) {
        setSeen(true);
        observer.disconnect();
      }
    }, { rootMargin: LAZY_ROOT_MARGIN });
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref, seen]);
  return seen;
}

/**
 * A plugin component in its sandboxed frame, sized to its content, created when it scrolls into
 * view; replaced by a placeholder with Reload when it stops answering; remounted after a hot
 * reload of its own plugin.
 */
export function SlotHost(props: SlotHostProps): ReactNode {
  const reloads = useReloadGeneration(props.target.pluginId);
  const [manual, setManual] = useState(0);
  const [frozen, setFrozen] = useState(false);
  const [flooded, setFlooded] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  const seen = useSeen(box, props.eager ?? false);
  const generation = reloads + manual;
  const { target } = props;
  return (
    <div
      ref={box} className={`slot-box${props.fill ? ' fill' : ''}`} data-testid="slot-box"
      data-plugin-id={target.pluginId} data-slot-id={target.slotId} data-slot-type={target.slotType}
      data-mounted={seen && !frozen ? 'true' : 'false'}
    >
      {flooded ? (
        <div className="frame-frozen" role="alert" data-testid="slot-stopped" data-plugin-id={target.pluginId} data-slot-id={target.slotId}>
          <PluginIcon src={target.pluginIcon} />
          <p><strong>{target.pluginDisplayName}</strong> sent more than {MAX_FRAME_MESSAGES_PER_SECOND} messages in a second and was stopped.</p>
          <button
            type="button" className="button secondary small" data-testid="frame-reload"
            onClick={() => {
              setFlooded(false);
              setManual((m) => m + 1);
            }}
          >
            Reload
          </button>
        </div>
      ) : frozen ? (
        <div className="frame-frozen" role="alert" data-testid="frame-frozen" data-plugin-id={target.pluginId}>
          <PluginIcon src={target.pluginIcon} />
          <p><strong>{target.pluginDisplayName}</strong> is not responding.</p>
          <button
            type="button" className="button secondary small" data-testid="frame-reload"
            onClick={() => {
              setFrozen(false);
              setManual((m) => m + 1);
            }}
          >
            Reload
          </button>
        </div>
      ) : seen ? (
        <SlotFrame key={generation} {...props} generation={generation} onFrozen={() => setFrozen(true)} onFlood={() => setFlooded(true)} />
      ) : (
        <div className="slot-pending" style={{ height: INITIAL_FRAME_HEIGHT }} aria-hidden="true" />
      )}
    </div>
  );
}

function SlotFrame(props: SlotHostProps & { generation: number; onFrozen(): void; onFlood(): void }): ReactNode {
  const { target, theme } = props;
  const fill = props.fill ?? false;
  const [height, setHeight] = useState(INITIAL_FRAME_HEIGHT);
  const [state, setState] = useState<SlotState>('loading');
  const frameRef = useRef<HTMLIFrameElement>(null);
  const portRef = useRef<MessagePort | null>(null);
  const streamsRef = useRef<FrameStreams | null>(null);
  const contextRef = useRef<HostContext | null>(null);
  const hostRef = useRef<Pick<SlotHostProps, 'onNavigate' | 'onClose'>>({});
  hostRef.current = { onNavigate: props.onNavigate, onClose: props.onClose };
  const onFrozen = useRef(props.onFrozen);
  onFrozen.current = props.onFrozen;
  const onFlood = useRef(props.onFlood);
  onFlood.current = props.onFlood;

  const context: HostContext = {
    ...props.context,
    pluginId: target.pluginId,
    slotType: target.slotType,
    slotId: target.slotId,
    theme,
  };
  const contextKey = JSON.stringify(context);
  contextRef.current = context;

  const connect = useCallback(() => {
    const frameWindow = frameRef.current?.contentWindow;
    if (!frameWindow || !contextRef.current) return;
    // Every load is a new document (the element moved in the DOM, or the frame navigated
    // itself): it gets a fresh port for the same plugin, and the old one is closed.
    portRef.current?.close();
    streamsRef.current?.closeAll();
    const pluginId = target.pluginId;
    const channel = new MessageChannel();
    const port = channel.port1;
    portRef.current = port;
    let inFlight = 0;
    let windowStart = Date.now();
    let inWindow = 0;
    let lastHeard = Date.now();
    let seq = 0;
    const reply = (message: FrameMessage) => {
      if (portRef.current === port) port.postMessage(message);
    };
    const streams = createFrameStreams(pluginId, reply);
    streamsRef.current = streams;
    const watchdog = window.setInterval(() => {
      if (portRef.current !== port) return window.clearInterval(watchdog);
      if (Date.now() - lastHeard > FRAME_SILENCE_MS) {
        window.clearInterval(watchdog);
        onFrozen.current();
        return;
      }
      reply({ type: 'ping', seq: ++seq });
    }, FRAME_PING_INTERVAL_MS);
    port.onmessage = (event: MessageEvent<unknown>) => {
      lastHeard = Date.now();
      if (lastHeard - windowStart >= 1000) {
        windowStart = lastHeard;
        inWindow = 0;
      }
      if (++inWindow > MAX_FRAME_MESSAGES_PER_SECOND) {
        port.onmessage = null;
        port.close();
        portRef.current = null;
        window.clearInterval(watchdog);
        streams.closeAll();
        onFlood.current();
        return;
      }
      const inbound = parseFrameMessage(event.data);
      if (!inbound) return;
      if (inbound.kind === 'notice') {
        const notice = inbound.notice;
        if (notice.type === 'pong') return;
        if (notice.type === 'escape') {
          hostRef.current.onClose?.();
          return;
        }
        if (notice.type === 'resize') setHeight(Math.min(Math.max(Math.ceil(notice.height), 1), MAX_FRAME_HEIGHT));
        else setState(notice.type === 'rendered' ? 'ready' : 'error');
        return;
      }
      const request = inbound.request;
      if (inFlight >= MAX_IN_FLIGHT_REQUESTS) {
        countRefused(pluginId);
        reply({ type: 'response', id: request.id, ok: false, error: { code: 'RATE_LIMITED', message: `More than ${MAX_IN_FLIGHT_REQUESTS} requests in flight from this widget; wait for answers before sending more` } });
        return;
      }
      inFlight++;
      serve(pluginId, request, streams, hostRef.current).then(
        (value) => reply({ type: 'response', id: request.id, ok: true, value }),
        (error: unknown) => reply({ type: 'response', id: request.id, ok: false, error: errorOf(error) }),
      ).finally(() => {
        inFlight--;
      });
    };
    const init: FrameInit = {
      context: contextRef.current, moduleUrl: frameModuleUrl(target.moduleUrl), exportName: target.exportName, sizing: fill ? 'fill' : 'content',
    };
    const message: FramePortMessage = { type: 'plinth:port', init };
    // The frame's origin is opaque, so '*' is the only target origin that reaches it.
    frameWindow.postMessage(message, '*', [channel.port2]);
  }, [target.pluginId, target.moduleUrl, target.exportName, fill]);

  useEffect(() => () => {
    portRef.current?.close();
    portRef.current = null;
    streamsRef.current?.closeAll();
    streamsRef.current = null;
  }, []);

  useEffect(() => {
    if (portRef.current && contextRef.current) portRef.current.postMessage({ type: 'context', context: contextRef.current } satisfies FrameMessage);
  }, [contextKey]);

  return (
    <iframe
      ref={frameRef}
      className="slot-frame"
      title={`${target.displayName} — ${target.pluginDisplayName}`}
      src={target.frameUrl ?? FRAME_DOCUMENT}
      sandbox="allow-scripts allow-forms"
      referrerPolicy="no-referrer"
      onLoad={connect}
      style={props.fill ? undefined : { height }}
      data-testid="slot-frame"
      data-plugin-id={target.pluginId}
      data-slot-id={target.slotId}
      data-slot-type={target.slotType}
      data-state={state}
      data-generation={props.generation}
    />
  );
}
