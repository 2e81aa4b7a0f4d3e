/**
 * The main window: a header with the navigation (**Dashboard**: the enabled plugins'
 * `dashboardWidget` slots, each in its own sandboxed frame; **Workspace**: projects and tasks)
 * and the Settings button.
 */
import { StrictMode, useEffect, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { useStore } from 'zustand';
import { EmptyIcon, GearIcon, LogoMark } from './icons.tsx';
import { createShellStore } from './shell-store.ts';
import { TabList, TabPanel, useHashTab, useTabsId, type TabSpec } from './settings/tabs.tsx';
import { SlotHost } from './slot-host.tsx';
import { useTheme } from './theme.ts';
import { WorkspaceView } from './views/workspace-view.tsx';
import './styles.css';
import './settings/settings.css';

const NAV_IDS = ['dashboard', 'workspace'] as const;
type NavId = (typeof NAV_IDS)[number];

const store = createShellStore(window.plinth);

function openSettings(): void {
  window.plinth.openSettings().catch((error: unknown) => console.error('Could not open settings', error));
}

function EmptyState(): ReactNode {
  return (
    <div className="empty-state" data-testid="empty-state">
      <EmptyIcon />
      <h2>No widgets yet</h2>
      <p>Plugins add widgets to this dashboard. Open Settings and switch a plugin on: its widget appears here right away.</p>
      <button type="button" className="button primary" onClick={openSettings}>Open settings</button>
    </div>
  );
}

function Dashboard(): ReactNode {
  const widgets = useStore(store, (s) => s.widgets);
  const loaded = useStore(store, (s) => s.widgetsLoaded);
  const theme = useTheme();
  return (
    <>
      <div className="page-heading">
        <h1>Dashboard</h1>
        <p className="muted">Widgets from your enabled plugins</p>
      </div>
      {loaded && widgets.length === 0 && <EmptyState />}
      {widgets.length > 0 && (
        <div className="widget-grid" data-testid="widget-grid">
          {widgets.map((widget) => (
            <section
              className="card widget"
              key={`${widget.pluginId}/${widget.slot.id}`}
              data-testid="widget"
              data-plugin-id={widget.pluginId}
              aria-label={widget.pluginDisplayName}
            >
              <header className="widget-caption">
                <span className="widget-title">{widget.pluginDisplayName}</span>
                {widget.slot.displayName !== widget.pluginDisplayName && <span className="muted">{widget.slot.displayName}</span>}
              </header>
              <SlotHost contribution={widget} theme={theme} />
            </section>
          ))}
        </div>
      )}
    </>
  );
}

const NAV: TabSpec[] = [
  { id: 'dashboard', label: 'Dashboard', render: () => <Dashboard /> },
  { id: 'workspace', label: 'Workspace', render: () => <WorkspaceView /> },
];

function MainWindow(): ReactNode {
  const loaded = useStore(store, (s) => s.widgetsLoaded);
  const loadError = useStore(store, (s) => s.loadError);
  const [selected, select] = useHashTab<NavId>(NAV_IDS);
  const idBase = useTabsId();

  useEffect(() => {
    const refresh = () => void store.getState().refreshWidgets();
    refresh();
    return window.plinth.on('plugins.changed', refresh);
  }, []);

  return (
    <div className="app" data-testid="main-window" data-plugins-loaded={loaded ? 'true' : 'false'}>
      <header className="app-header">
        <div className="brand">
          <LogoMark />
          <span className="brand-name">Plinth</span>
        </div>
        <TabList label="Main sections" tabs={NAV} selected={selected} onSelect={(id) => select(id as NavId)} idBase={idBase} className="header-tabs" />
        <button type="button" className="button secondary" data-testid="open-settings" onClick={openSettings}>
          <GearIcon />
          Settings
        </button>
      </header>
      <main className="content">
        {loadError && <div className="alert" role="alert">{loadError}</div>}
        <TabPanel tabs={NAV} selected={selected} idBase={idBase} />
      </main>
    </div>
  );
}

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <MainWindow />
  </StrictMode>,
);
