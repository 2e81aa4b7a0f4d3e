/**
 * Host-rendered overlays with a plugin frame inside: a modal, a drawer (from the right edge) or
 * a popover. Each is a native modal `<dialog>`: the rest of the window is inert, so focus stays
 * inside (the frame is the only thing to tab into besides the Close button), Esc closes it, and
 * focus goes back to the element that opened it.
 */
import { useId, useRef, type ReactNode } from 'react';
import type { RenderBounds } from '../../../sdk/protocol/manifest.ts';
import { useModalDialog } from '../modal-dialog.ts';
import { PluginIcon } from '../plugin-icon.tsx';
import { SlotHost, type FrameEntityContext, type FrameTarget } from '../slot-host.tsx';
import { useTheme } from '../theme.ts';

/** How an overlay sits on the window. */
export type OverlayKind = 'modal' | 'drawer' | 'popover';

/** One open overlay. */
export interface OverlaySpec {
  kind: OverlayKind;
  target: FrameTarget;
  bounds: RenderBounds;
  context: FrameEntityContext;
  /** `iframe` environment: the plugin frame alone, without the host's title bar. */
  bare?: boolean;
}

/** The overlay's own focusable elements (the Close button, the plugin frame), sentinels excluded. */
function focusables(dialog: HTMLDialogElement | null): HTMLElement[] {
  if (!dialog) return [];
  return [...dialog.querySelectorAll<HTMLElement>('button, iframe, [href], input, select, textarea, [tabindex]:not([tabindex="-1"])')]
    .filter((el) => !el.classList.contains('focus-sentinel'));
}

/** Props of {@link PluginOverlay}. */
export interface PluginOverlayProps {
  spec: OverlaySpec;
  onClose(): void;
  onNavigate(to: string): Promise<void> | void;
}

/** The overlay, open while mounted. */
export function PluginOverlay(props: PluginOverlayProps): ReactNode {
  const { spec } = props;
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const theme = useTheme();
  // Start on the Close button: showModal would focus the start sentinel, which hands focus to the frame.
  useModalDialog(ref, props.onClose, '[data-testid="overlay-close"]');

  return (
    <dialog
      ref={ref} className={`plugin-overlay overlay-${spec.kind} bounds-${spec.bounds}`} aria-labelledby={titleId}
      data-testid="plugin-overlay" data-kind={spec.kind} data-bounds={spec.bounds} data-plugin-id={spec.target.pluginId}
      onClick={(event) => {
        if (event.target === ref.current) props.onClose(); // a click on the backdrop
      }}
    >
      {/* Focus sentinels: Tab out of the plugin frame (whose document the shell cannot see into)
          lands here and wraps back, so focus never leaves the overlay for the browser chrome. */}
      <span tabIndex={0} className="focus-sentinel" data-testid="focus-sentinel-start" onFocus={() => focusables(ref.current).at(-1)?.focus()} />
      <header className={`overlay-head${spec.bare ? ' visually-hidden' : ''}`}>
        <PluginIcon src={spec.target.pluginIcon} />
        <h2 id={titleId}>{spec.target.displayName}</h2>
        <span className="muted">{spec.target.pluginDisplayName}</span>
        <button type="button" className="button secondary small" data-testid="overlay-close" onClick={props.onClose}>Close</button>
      </header>
      <div className="overlay-body">
        <SlotHost
          target={spec.target} theme={theme} context={spec.context} eager fill={spec.kind !== 'popover'}
          onNavigate={props.onNavigate} onClose={props.onClose}
        />
      </div>
      <span tabIndex={0} className="focus-sentinel" data-testid="focus-sentinel-end" onFocus={() => focusables(ref.current)[0]?.focus()} />
    </dialog>
  );
}
