/** The settings window: every discovered plugin, its state and an enable switch. */
import { StrictMode, useEffect, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { useStore } from 'zustand';
import { LogoMark } from './icons.tsx';
import { PluginCard } from './plugin-card.tsx';
import { createShellStore } from './shell-store.ts';
import './styles.css';

const store = createShellStore(window.plinth);

function SettingsWindow(): ReactNode {
  const plugins = useStore(store, (s) => s.plugins);
  const loaded = useStore(store, (s) => s.pluginsLoaded);
  const loadError = useStore(store, (s) => s.loadError);
  const pending = useStore(store, (s) => s.pending);
  const toggleErrors = useStore(store, (s) => s.toggleErrors);

  useEffect(() => {
    const refresh = () => void store.getState().refreshPlugins();
    refresh();
    return window.plinth.on('plugins.changed', refresh);
  }, []);

  const enabledCount = plugins.filter((p) => p.enabled).length;
  return (
    <div className="app" data-testid="settings-window" data-plugins-loaded={loaded ? 'true' : 'false'}>
      <header className="app-header">
        <div className="brand">
          <LogoMark />
          <span className="brand-name">Plinth</span>
          <span className="brand-section">Settings</span>
        </div>
      </header>
      <main className="content narrow">
        <div className="page-heading">
          <h1>Plugins</h1>
          <p className="muted">
            {loaded ? `${plugins.length} found, ${enabledCount} on. ` : ''}
            A plugin runs and shows its widgets only while it is switched on.
          </p>
        </div>
        {loadError && <div className="alert" role="alert">{loadError}</div>}
        {loaded && plugins.length === 0 && (
          <div className="empty-state">
            <h2>No plugins found</h2>
            <p>Put a plugin folder in your profile&apos;s plugins folder and it shows up here.</p>
          </div>
        )}
        <ul className="plugin-list" aria-label="Plugins">
          {plugins.map((plugin) => (
            <PluginCard
              key={plugin.id}
              plugin={plugin}
              pending={pending[plugin.id] === true}
              toggleError={toggleErrors[plugin.id] || undefined}
              onToggle={(enabled) => void store.getState().setEnabled(plugin.id, enabled)}
            />
          ))}
        </ul>
      </main>
    </div>
  );
}

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <SettingsWindow />
  </StrictMode>,
);
