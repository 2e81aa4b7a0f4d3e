/**
 * The main window: a header (search, the plugins' global toolbar buttons, the command palette,
 * Settings), the sidebar, and the routes (hash URLs, so every screen has a deep link that
 * survives a reload and back/forward work):
 *
 * | route | screen |
 * |---|---|
 * | `/` | dashboard |
 * | `/projects` | all projects |
 * | `/projects/<id>` and `/projects/<id>/board` | a project, as list or board |
 * | `/tasks/<id>` | a task |
 * | `/search?q=…` | task search |
 * | `/plugins/<pluginId>/<slotId>` | a plugin `page` |
 * | `/plugins/<pluginId>/launchers/<launcherId>` | a launcher rendered as a route |
 * | `/dev/<pluginId>` | every slot and launcher of one plugin (the page `plinth-plugin dev` opens) |
 */
import { StrictMode, useEffect, useState, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { Route, Router, Switch, useLocation } from 'wouter';
import { useStore } from 'zustand';
import { GearIcon, LogoMark } from './icons.tsx';
import { DashboardPage } from './pages/dashboard-page.tsx';
import { DevPreviewPage } from './pages/dev-page.tsx';
import { LauncherRoute, PluginPage } from './pages/plugin-page.tsx';
import { ProjectPage } from './pages/project-page.tsx';
import { SearchPage } from './pages/search-page.tsx';
import { TaskPage } from './pages/task-page.tsx';
import { contributionsStore } from './shell/contributions.ts';
import { hashHref, useHashPath, useHashSearch } from './shell/hash-location.ts';
import { CommandPalette } from './shell/command-palette.tsx';
import { PermissionPrompts } from './shell/permission-prompt.tsx';
import { LauncherButtons, PluginSlots } from './shell/plugin-slots.tsx';
import { ShellActionsProvider } from './shell/shell-actions.tsx';
import { Sidebar } from './shell/sidebar.tsx';
import { WorkspaceView } from './views/workspace-view.tsx';
import { StartupNotices } from './views/startup-notices.tsx';
import { followThemePreference } from './theme.ts';
import './styles.css';
import './settings/settings.css';
import './shell/shell.css';

function openSettings(): void {
  window.plinth.openSettings().catch((error: unknown) => console.error('Could not open settings', error));
}

function SearchBox(): ReactNode {
  const [, setLocation] = useLocation();
  const [q, setQ] = useState('');
  return (
    <form role="search" className="header-search" onSubmit={(e) => { e.preventDefault(); setLocation(`/search?q=${encodeURIComponent(q.trim())}`); }}>
      <input className="input" type="search" placeholder="Search tasks…" aria-label="Search tasks" data-testid="search-input" value={q} onChange={(e) => setQ(e.target.value)} />
    </form>
  );
}

function NotFound(): ReactNode {
  return (
    <div className="empty-state" data-testid="not-found">
      <h2>Nothing here</h2>
      <p>This link points to a screen that does not exist (any more).</p>
    </div>
  );
}

function Shell(): ReactNode {
  const loaded = useStore(contributionsStore, (s) => s.loaded);
  const loadError = useStore(contributionsStore, (s) => s.error);
  const [paletteOpen, setPaletteOpen] = useState(false);

  useEffect(() => {
    const refresh = () => void contributionsStore.getState().refresh();
    refresh();
    return window.plinth.on('plugins.changed', refresh);
  }, []);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'k') {
        event.preventDefault();
        setPaletteOpen(true);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <div className="app" data-testid="main-window" data-plugins-loaded={loaded ? 'true' : 'false'}>
      <header className="app-header">
        <div className="brand">
          <LogoMark />
          <span className="brand-name">Plinth</span>
        </div>
        <SearchBox />
        <div className="header-actions" role="toolbar" aria-label="Global actions">
          <LauncherButtons zone="globalToolbarButton" />
          <PluginSlots type="globalToolbarButton" className="toolbar-slot" />
          <button type="button" className="button secondary small" data-testid="open-palette" aria-keyshortcuts="Control+K" onClick={() => setPaletteOpen(true)}>
            Commands <kbd>Ctrl K</kbd>
          </button>
          <button type="button" className="button secondary" data-testid="open-settings" onClick={openSettings}>
            <GearIcon />
            Settings
          </button>
        </div>
      </header>
      <div className="app-body">
        <Sidebar />
        <main className="content" id="main">
          <StartupNotices />
          {loadError && <div className="alert" role="alert">{loadError}</div>}
          <Switch>
            <Route path="/"><DashboardPage /></Route>
            <Route path="/projects"><WorkspaceView /></Route>
            <Route path="/projects/:id">{(p) => <ProjectPage key={p.id} projectId={p.id} view="list" />}</Route>
            <Route path="/projects/:id/board">{(p) => <ProjectPage key={p.id} projectId={p.id} view="board" />}</Route>
            <Route path="/tasks/:id">{(p) => <TaskPage key={p.id} taskId={p.id} />}</Route>
            <Route path="/search"><SearchPage /></Route>
            <Route path="/dev/:pluginId">{(p) => <DevPreviewPage key={p.pluginId} pluginId={decodeURIComponent(p.pluginId)} />}</Route>
            <Route path="/plugins/:pluginId/launchers/:launcherId">{(p) => <LauncherRoute pluginId={decodeURIComponent(p.pluginId)} launcherId={decodeURIComponent(p.launcherId)} />}</Route>
            <Route path="/plugins/:pluginId/:slotId">{(p) => <PluginPage pluginId={decodeURIComponent(p.pluginId)} slotId={decodeURIComponent(p.slotId)} />}</Route>
            <Route><NotFound /></Route>
          </Switch>
        </main>
      </div>
      {paletteOpen && <CommandPalette onClose={() => setPaletteOpen(false)} />}
      <PermissionPrompts />
    </div>
  );
}

function MainWindow(): ReactNode {
  return (
    <Router hook={useHashPath} searchHook={useHashSearch} hrefs={hashHref}>
      <ShellActionsProvider>
        <Shell />
      </ShellActionsProvider>
    </Router>
  );
}

followThemePreference();
createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <MainWindow />
  </StrictMode>,
);
