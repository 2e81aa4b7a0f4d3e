/**
 * The settings window: tabs **Plugins** (add, switch on with consent, upgrade,
 * configure, uninstall), **Running** (live worker table), **Activity** (what plugins wrote) and
 * **Preferences** (app preferences and the MCP server). Dropping a `.tgz` anywhere installs it.
 */
import { StrictMode, useCallback, useEffect, useState, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { useStore } from 'zustand';
import type { PluginSummary } from '../../preload/api.ts';
import { LogoMark } from './icons.tsx';
import { DropZone, useInstaller } from './settings/installer.tsx';
import { BrowseTab } from './settings/browse/browse-tab.tsx';
import { PluginsSection, UpdateNotices } from './settings/browse/plugins-section.tsx';
import { PluginsTab } from './settings/plugins-tab.tsx';
import { PermissionPrompts } from './shell/permission-prompt.tsx';
import { TabList, TabPanel, useHashTab, useTabsId, type TabSpec } from './settings/tabs.tsx';
import { createShellStore } from './shell-store.ts';
import { followThemePreference } from './theme.ts';
import { ActivityView } from './views/activity-view.tsx';
import { McpPanel } from './views/mcp-panel.tsx';
import { PreferencesPanel } from './views/preferences-panel.tsx';
import { RunningPluginsView } from './views/running-plugins-view.tsx';
import './styles.css';
import './settings/settings.css';

const bridge = window.plinth;
const store = createShellStore(bridge);
const TAB_IDS = ['plugins', 'running', 'activity', 'preferences'] as const;
type TabId = (typeof TAB_IDS)[number];

function refreshLists(): void {
  const state = store.getState();
  void state.refreshPlugins();
  void state.refreshUninstalled();
}

function SettingsWindow(): ReactNode {
  const [tab, selectTab] = useHashTab<TabId>(TAB_IDS);
  const [consent, setConsent] = useState<PluginSummary | null>(null);
  const idBase = useTabsId();
  const pluginsLoaded = useStore(store, (s) => s.pluginsLoaded);
  const loadError = useStore(store, (s) => s.loadError);

  useEffect(() => {
    refreshLists();
    void store.getState().refreshPreferences();
    const stops = [bridge.on('plugins.changed', refreshLists), bridge.on('preferences.changed', store.getState().applyPreferences)];
    return () => stops.forEach((stop) => stop());
  }, []);

  // A plugin that was just added is off: ask for consent right away when it needs it.
  const onAdded = useCallback((plugin: PluginSummary) => {
    if (!plugin.enabled && plugin.needsConsent && plugin.state !== 'error') setConsent(plugin);
  }, []);
  const installer = useInstaller(bridge, onAdded);
  const [pluginsView, setPluginsView] = useState<'installed' | 'browse'>('installed');
  const plugins = useStore(store, (s) => s.plugins);
  // Installed from Browse: back to the list, where its consent dialog opens as for a file.
  const onInstalledFromRegistry = useCallback((plugin: PluginSummary) => {
    setPluginsView('installed');
    void store.getState().refreshPlugins();
    onAdded(plugin);
  }, [onAdded]);

  const tabs: TabSpec[] = [
    {
      id: 'plugins', label: 'Plugins',
      render: () => (
        <PluginsSection
          view={pluginsView}
          onView={setPluginsView}
          installed={<><UpdateNotices plugins={plugins} /><PluginsTab bridge={bridge} store={store} installer={installer} consent={consent} setConsent={setConsent} /></>}
          browse={<BrowseTab bridge={bridge} store={store} onInstalled={onInstalledFromRegistry} />}
        />
      ),
    },
    { id: 'running', label: 'Running', render: () => <RunningPluginsView /> },
    { id: 'activity', label: 'Activity', render: () => <ActivityView /> },
    {
      id: 'preferences',
      label: 'Preferences',
      render: () => (
        <>
          <PreferencesPanel />
          <McpPanel />
        </>
      ),
    },
  ];

  return (
    <DropZone installer={installer} onDropped={() => selectTab('plugins')}>
      <div className="app" data-testid="settings-window" data-plugins-loaded={pluginsLoaded ? 'true' : 'false'}>
        <header className="app-header">
          <div className="brand">
            <LogoMark />
            <span className="brand-name">Plinth</span>
            <span className="brand-section">Settings</span>
          </div>
          <TabList label="Settings sections" tabs={tabs} selected={tab} onSelect={(id) => selectTab(id as TabId)} idBase={idBase} className="header-tabs" />
        </header>
        {/* Cards read best narrow; the Running and Activity tables need the width. */}
        <main className={`content ${tab === 'plugins' || tab === 'preferences' ? 'narrow' : tab === 'running' ? '' : 'wide'}`}>
          {loadError && <div className="alert" role="alert">{loadError}</div>}
          <TabPanel tabs={tabs} selected={tab} idBase={idBase} />
        </main>
        <PermissionPrompts />
      </div>
    </DropZone>
  );
}

followThemePreference();
createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <SettingsWindow />
  </StrictMode>,
);
