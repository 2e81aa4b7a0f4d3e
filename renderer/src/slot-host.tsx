/**
 * `<SlotHost>` mounts one plugin component in a sandboxed iframe (opaque origin, no network)
 * and serves its requests. The plugin id is bound here from the contribution the host listed,
 * never read from the frame's messages, so a plugin UI can only reach its own worker.
 */
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import type { SlotContribution } from '../../preload/api.ts';
import type { FrameInit, FrameMessage, FramePortMessage, FrameRequest, HostContext } from '../../sdk/protocol/frame.ts';
import type { Json } from '../../sdk/protocol/json.ts';
import { parseFrameMessage } from './frame-messages.ts';

/** Height of a frame before it reports its content (px). */
const INITIAL_FRAME_HEIGHT = 64;
/** Tallest a frame may grow (px), so a runaway layout cannot push the dashboard off screen forever. */
const MAX_FRAME_HEIGHT = 2000;
/** Requests a frame may have in flight; more are refused so one widget cannot flood the host. */
const MAX_IN_FLIGHT_REQUESTS = 32;
/** The frame document, served by the app protocol with its own CSP. */
const FRAME_DOCUMENT = '/frame.html';

/** Where a frame is: loading, showing the plugin, or showing an error box. */
export type SlotState = 'loading' | 'ready' | 'error';

/** Props of {@link SlotHost}. */
export interface SlotHostProps {
  contribution: SlotContribution;
  theme: 'light' | 'dark';
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

/** Answers one frame request; the plugin id comes from the contribution, bound by the caller. */
async function serve(pluginId: string, request: FrameRequest): Promise<Json> {
  switch (request.method) {
    case 'data':
      return window.plinth.pluginData(pluginId, request.key, request.params);
    case 'action':
      return window.plinth.pluginAction(pluginId, request.key, request.params);
    case 'stream.close':
      return null;
    case 'stream.subscribe':
      throw Object.assign(new Error('Streams are not supported by this version of Plinth yet'), { code: 'NOT_READY' });
    case 'navigate':
      throw Object.assign(new Error('Navigation is not available in this view yet'), { code: 'NOT_READY' });
    case 'close':
      throw Object.assign(new Error('close() applies to overlays only; this component is not in an overlay'), { code: 'INVALID_INPUT' });
  }
}

/** A plugin component in its sandboxed frame, sized to its content. */
export function SlotHost(props: SlotHostProps): ReactNode {
  const { contribution, theme } = props;
  const [height, setHeight] = useState(INITIAL_FRAME_HEIGHT);
  const [state, setState] = useState<SlotState>('loading');
  const frameRef = useRef<HTMLIFrameElement>(null);
  const portRef = useRef<MessagePort | null>(null);
  const contextRef = useRef<HostContext | null>(null);

  const context: HostContext = {
    pluginId: contribution.pluginId,
    slotType: contribution.slot.type,
    slotId: contribution.slot.id,
    theme,
  };
  contextRef.current = context;

  const connect = useCallback(() => {
    const target = frameRef.current?.contentWindow;
    if (!target || !contextRef.current) return;
    portRef.current?.close();
    const pluginId = contribution.pluginId;
    const channel = new MessageChannel();
    const port = channel.port1;
    portRef.current = port;
    let inFlight = 0;
    const reply = (message: FrameMessage) => {
      if (portRef.current === port) port.postMessage(message);
    };
    port.onmessage = (event: MessageEvent<unknown>) => {
      const inbound = parseFrameMessage(event.data);
      if (!inbound) return;
      if (inbound.kind === 'notice') {
        const notice = inbound.notice;
        if (notice.type === 'resize') setHeight(Math.min(Math.max(Math.ceil(notice.height), 1), MAX_FRAME_HEIGHT));
        else setState(notice.type === 'rendered' ? 'ready' : 'error');
        return;
      }
      const request = inbound.request;
      if (inFlight >= MAX_IN_FLIGHT_REQUESTS) {
        reply({ type: 'response', id: request.id, ok: false, error: { code: 'NOT_READY', message: `More than ${MAX_IN_FLIGHT_REQUESTS} requests in flight` } });
        return;
      }
      inFlight++;
      serve(pluginId, request).then(
        (value) => reply({ type: 'response', id: request.id, ok: true, value }),
        (error: unknown) => reply({ type: 'response', id: request.id, ok: false, error: errorOf(error) }),
      ).finally(() => {
        inFlight--;
      });
    };
    const init: FrameInit = { context: contextRef.current, moduleUrl: frameModuleUrl(contribution.moduleUrl), exportName: contribution.slot.exportName };
    const message: FramePortMessage = { type: 'plinth:port', init };
    // The frame's origin is opaque, so '*' is the only target origin that reaches it.
    target.postMessage(message, '*', [channel.port2]);
  }, [contribution.pluginId, contribution.moduleUrl, contribution.slot.exportName]);

  useEffect(() => () => {
    portRef.current?.close();
    portRef.current = null;
  }, []);

  useEffect(() => {
    if (portRef.current && contextRef.current) portRef.current.postMessage({ type: 'context', context: contextRef.current } satisfies FrameMessage);
  }, [theme]);

  return (
    <iframe
      ref={frameRef}
      className="slot-frame"
      title={`${contribution.slot.displayName} — ${contribution.pluginDisplayName}`}
      src={FRAME_DOCUMENT}
      sandbox="allow-scripts"
      referrerPolicy="no-referrer"
      onLoad={connect}
      style={{ height }}
      data-testid="slot-frame"
      data-plugin-id={contribution.pluginId}
      data-slot-id={contribution.slot.id}
      data-state={state}
    />
  );
}
