/**
 * The plugin frame bootstrap, loaded by `/frame.html` inside `<iframe sandbox="allow-scripts allow-forms">`.
 * Waits for the shell's `plinth:port` message, loads the plugin's UI module, renders the
 * named export with `{ context }` inside an error boundary, reports its content height and
 * applies the theme. A plugin error shows in this frame only; the shell keeps working.
 */
import { Component, StrictMode, useEffect, useSyncExternalStore, type ComponentType, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import type { FrameInit, FramePortMessage, HostContext } from '../../sdk/protocol/frame.ts';
import { installFrameClient, type FrameClient } from '../../sdk/ui/frame-client.ts';

type PluginComponent = ComponentType<{ context: HostContext }>;

function isPortMessage(data: unknown): data is FramePortMessage {
  const d = data as Partial<FramePortMessage> | null;
  return typeof d === 'object' && d !== null && d.type === 'plinth:port' && typeof d.init?.moduleUrl === 'string'
    && typeof d.init.exportName === 'string' && typeof d.init.context === 'object' && d.init.context !== null;
}

function applyTheme(theme: HostContext['theme']): void {
  document.documentElement.dataset.theme = theme === 'dark' ? 'dark' : 'light';
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

function ErrorBox(props: { title: string; message: string }): ReactNode {
  return (
    <div className="plinth-frame-error" role="alert" data-testid="frame-error">
      <strong>{props.title}</strong>
      <p>{props.message}</p>
    </div>
  );
}

class ErrorBoundary extends Component<{ children: ReactNode; onError(message: string): void }, { message: string | null }> {
  override state = { message: null as string | null };
  static getDerivedStateFromError(error: unknown): { message: string } {
    return { message: describe(error) };
  }
  override componentDidCatch(error: unknown): void {
    this.props.onError(describe(error));
  }
  override render(): ReactNode {
    if (this.state.message !== null) return <ErrorBox title="This widget stopped working" message={this.state.message} />;
    return this.props.children;
  }
}

/** Renders the plugin component with the live context and tells the shell once it has committed. */
function Mounted(props: { client: FrameClient; Plugin: PluginComponent }): ReactNode {
  const { client, Plugin } = props;
  const context = useSyncExternalStore(client.subscribeContext, client.getContext);
  useEffect(() => client.notify({ type: 'rendered' }), [client]);
  return <Plugin context={context} />;
}

function reportHeight(client: FrameClient, root: HTMLElement): void {
  let last = -1;
  const observer = new ResizeObserver(() => {
    const height = Math.ceil(root.getBoundingClientRect().height);
    if (height !== last) {
      last = height;
      client.notify({ type: 'resize', height });
    }
  });
  observer.observe(root);
}

async function start(port: MessagePort, init: FrameInit): Promise<void> {
  const client = installFrameClient(port, init);
  applyTheme(init.context.theme);
  document.documentElement.dataset.sizing = init.sizing === 'fill' ? 'fill' : 'content';
  client.subscribeContext(() => applyTheme(client.getContext().theme));
  const container = document.getElementById('plinth-root') as HTMLElement;
  reportHeight(client, container);
  // Keys go to the focused document: an Esc the plugin leaves alone is the shell's (it closes an overlay).
  window.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && !event.defaultPrevented) client.notify({ type: 'escape' });
  });
  const root = createRoot(container);
  const fail = (title: string, message: string) => {
    client.notify({ type: 'error', message });
    root.render(<ErrorBox title={title} message={message} />);
  };
  let module: Record<string, unknown>;
  try {
    module = (await import(/* @vite-ignore */ init.moduleUrl)) as Record<string, unknown>;
  } catch (error) {
    fail('Could not load this widget', describe(error));
    return;
  }
  const Plugin = module[init.exportName];
  const renderable = typeof Plugin === 'function' || (typeof Plugin === 'object' && Plugin !== null && '$$typeof' in Plugin);
  if (!renderable) {
    fail('Could not show this widget', `The plugin's UI module has no component exported as "${init.exportName}".`);
    return;
  }
  root.render(
    <StrictMode>
      <ErrorBoundary onError={(message) => client.notify({ type: 'error', message })}>
        <Mounted client={client} Plugin={Plugin as PluginComponent} />
      </ErrorBoundary>
    </StrictMode>,
  );
}

function onMessage(event: MessageEvent): void {
  // Only the embedding shell hands out the port; anything else (the plugin's own code, another frame) is ignored.
  if (event.source !== window.parent || !isPortMessage(event.data) || !event.ports[0]) return;
  window.removeEventListener('message', onMessage);
  void start(event.ports[0], event.data.init);
}

window.addEventListener('message', onMessage);
