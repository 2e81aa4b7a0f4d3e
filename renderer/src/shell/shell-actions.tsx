/**
 * What plugin UI can make the shell do, in one provider: navigate (an app route, or a link that
 * leaves the app after the user agrees), open a host overlay with a plugin frame, run a
 * launcher's action, and tell the user an outcome (a toast, `role="status"`).
 */
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { useLocation } from 'wouter';
import type { LauncherContribution } from '../../../preload/api.ts';
import type { Json } from '../../../sdk/protocol/json.ts';
import { ConfirmDialog } from '../settings/modal.tsx';
import { launcherTarget, type FrameEntityContext } from '../slot-host.tsx';
import { PluginOverlay, type OverlayKind, type OverlaySpec } from './overlay.tsx';

/** A toast: the outcome of an action, shown for {@link TOAST_MS}. */
export interface Toast { id: number; tone: 'ok' | 'error'; text: string; testId?: string }

/** How long a toast stays (ms): long enough to read a sentence. */
const TOAST_MS = 6_000;
/** Longest result text a toast shows; the rest is cut with an ellipsis. */
const MAX_TOAST_CHARS = 300;

/** What components call. */
export interface ShellActions {
  /** `/…` → an app route; `http(s)://…` → asks, then opens it in the system browser. @throws for anything else. */
  navigate(to: string): Promise<void>;
  openOverlay(spec: OverlaySpec): void;
  /** Runs one launcher for an entity (CONTRACT §8); `inline` is the place's own inline renderer, if it has one. */
  launch(launcher: LauncherContribution, context: FrameEntityContext): Promise<void>;
  toast(tone: Toast['tone'], text: string, testId?: string): void;
}

const Context = createContext<ShellActions | null>(null);

/** The shell's actions. @throws Error outside {@link ShellActionsProvider}. */
export function useShellActions(): ShellActions {
  const value = useContext(Context);
  if (!value) throw new Error('useShellActions outside ShellActionsProvider');
  return value;
}

function isWebUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

function describe(value: Json): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > MAX_TOAST_CHARS ? `${text.slice(0, MAX_TOAST_CHARS)}…` : text;
}

const OVERLAY_OF: Partial<Record<LauncherContribution['launcher']['action']['type'], OverlayKind>> = {
  openModal: 'modal', openDrawer: 'drawer', openPopover: 'popover',
};

/** Provides {@link ShellActions} and renders the overlays, the external-link question and the toasts. */
export function ShellActionsProvider(props: { children: ReactNode }): ReactNode {
  const [, setLocation] = useLocation();
  const [overlays, setOverlays] = useState<Array<OverlaySpec & { id: number }>>([]);
  const [asking, setAsking] = useState<{ url: string; done(): void } | null>(null);
  const [toasts, setToasts] = useState<Toast[]>([]);

  const toast = useCallback((tone: Toast['tone'], text: string, testId?: string) => {
    const id = Date.now() + Math.random();
    setToasts((list) => [...list, { id, tone, text, ...(testId ? { testId } : {}) }]);
    window.setTimeout(() => setToasts((list) => list.filter((t) => t.id !== id)), TOAST_MS);
  }, []);

  const navigate = useCallback(async (to: string) => {
    if (to.startsWith('/') && !to.startsWith('//')) {
      setOverlays([]);
      setLocation(to);
      return;
    }
    if (isWebUrl(to)) {
      await new Promise<void>((resolve) => setAsking({ url: to, done: resolve }));
      return;
    }
    throw Object.assign(new Error(`Cannot navigate to "${to}": use an app path ("/projects/…") or an http(s) URL`), { code: 'INVALID_INPUT' });
  }, [setLocation]);

  const openOverlay = useCallback((spec: OverlaySpec) => setOverlays((list) => [...list, { ...spec, id: Date.now() + Math.random() }]), []);

  const launch = useCallback(async (contribution: LauncherContribution, context: FrameEntityContext) => {
    const { launcher } = contribution;
    const environment = launcher.render?.environment ?? 'hostOverlay';
    const bounds = launcher.render?.bounds ?? 'default';
    const action = launcher.action;
    try {
      if (action.type === 'navigate') {
        await navigate(action.target.startsWith('/') ? action.target : `/plugins/${encodeURIComponent(contribution.pluginId)}/${encodeURIComponent(action.target)}`);
      } else if (action.type === 'deepLink' || environment === 'external') {
        await navigate(action.target);
      } else if (action.type === 'performAction') {
        const result = await window.plinth.pluginAction(contribution.pluginId, action.target, { ...context } as Json);
        toast('ok', `${launcher.displayName}: ${describe(result)}`, 'launcher-result');
      } else if (environment === 'hostRoute') {
        const query = new URLSearchParams(Object.entries(context).filter(([, v]) => typeof v === 'string') as Array<[string, string]>);
        await navigate(`/plugins/${encodeURIComponent(contribution.pluginId)}/launchers/${encodeURIComponent(launcher.id)}${query.size ? `?${query}` : ''}`);
      } else {
        openOverlay({
          kind: OVERLAY_OF[action.type] ?? 'modal', target: launcherTarget(contribution), bounds,
          context: { ...context, renderEnvironment: environment }, bare: environment === 'iframe',
        });
      }
    } catch (error) {
      toast('error', `${launcher.displayName} failed: ${error instanceof Error ? error.message : String(error)}`, 'launcher-error');
    }
  }, [navigate, openOverlay, toast]);

  const actions = useMemo<ShellActions>(() => ({ navigate, openOverlay, launch, toast }), [navigate, openOverlay, launch, toast]);

  return (
    <Context.Provider value={actions}>
      {props.children}
      {overlays.map((spec) => (
        <PluginOverlay
          key={spec.id} spec={spec}
          onClose={() => setOverlays((list) => list.filter((o) => o.id !== spec.id))}
          onNavigate={navigate}
        />
      ))}
      {asking && (
        <ConfirmDialog
          title="Open this link in your browser?"
          confirmLabel="Open in browser"
          onCancel={() => {
            asking.done();
            setAsking(null);
          }}
          onConfirm={() => {
            const { url, done } = asking;
            setAsking(null);
            window.plinth.openExternal(url).then(done, (error: unknown) => {
              toast('error', `Could not open the link: ${error instanceof Error ? error.message : String(error)}`, 'external-error');
              done();
            });
          }}
        >
          <p className="muted">A plugin wants to open a web page outside Plinth:</p>
          <p className="external-url" data-testid="external-url">{asking.url}</p>
        </ConfirmDialog>
      )}
      <div className="toasts" role="status" aria-live="polite">
        {toasts.map((t) => <p key={t.id} className={`toast ${t.tone}`} data-testid={t.testId ?? 'toast'}>{t.text}</p>)}
      </div>
    </Context.Provider>
  );
}
