/**
 * Settings → Plugins: add plugins, the plugin cards, consent before a plugin first runs
 *, uninstall with a confirm, and Recently uninstalled.
 */
import { useEffect, useState, type ReactNode } from 'react';
import { useStore } from 'zustand';
import { contributionsStore } from '../shell/contributions.ts';
import { SlotHost, slotTarget } from '../slot-host.tsx';
import { useTheme } from '../theme.ts';
import type { PlinthBridge, PluginSummary } from '../../../preload/api.ts';
import { PluginCard } from '../plugin-card.tsx';
import type { ShellStore } from '../shell-store.ts';
import { ConfigForm } from './config-form.tsx';
import { InstallToolbar, type Installer } from './installer.tsx';
import { ConfirmDialog, ConsentDialog } from './modal.tsx';
import { UninstalledList } from './uninstalled-list.tsx';

/** Props of {@link PluginsTab}. */
export interface PluginsTabProps {
  bridge: PlinthBridge;
  store: ShellStore;
  installer: Installer;
  /** The plugin whose consent dialog is open (owned by the window, since installing opens it too). */
  consent: PluginSummary | null;
  setConsent(plugin: PluginSummary | null): void;
}

/** The Plugins tab. */
export function PluginsTab(props: PluginsTabProps): ReactNode {
  const { bridge, store, consent, setConsent } = props;
  const plugins = useStore(store, (s) => s.plugins);
  const loaded = useStore(store, (s) => s.pluginsLoaded);
  const pending = useStore(store, (s) => s.pending);
  const errors = useStore(store, (s) => s.toggleErrors);
  const uninstalled = useStore(store, (s) => s.uninstalled);
  const developerMode = useStore(store, (s) => s.preferences?.developerMode ?? false);
  const graceDays = useStore(store, (s) => s.preferences?.uninstallGraceDays);
  const [uninstalling, setUninstalling] = useState<PluginSummary | null>(null);
  const act = (pluginId: string, action: () => Promise<unknown>) => void store.getState().runPluginAction(pluginId, action);
  // A plugin's own `settingsPage` replaces the generated form (CONTRACT §8).
  const slots = useStore(contributionsStore, (s) => s.slots);
  const theme = useTheme();
  useEffect(() => {
    const refresh = () => void contributionsStore.getState().refresh();
    refresh();
    return window.plinth.on('plugins.changed', refresh);
  }, []);
  const settingsPageOf = (pluginId: string) => slots.find((c) => c.pluginId === pluginId && c.slot.type === 'settingsPage');

  const onToggle = (plugin: PluginSummary, enabled: boolean) => {
    if (enabled && plugin.needsConsent) setConsent(plugin);
    else void store.getState().setEnabled(plugin.id, enabled);
  };

  const enabledCount = plugins.filter((p) => p.enabled).length;
  return (
    <div className="view">
      <div className="view-heading">
        <h2>Plugins</h2>
        <p className="muted">
          {loaded ? `${plugins.length} installed, ${enabledCount} on. ` : ''}
          A plugin runs and shows its widgets only while it is switched on.
        </p>
      </div>
      <InstallToolbar installer={props.installer} />
      {loaded && plugins.length === 0 && (
        <div className="empty-state">
          <h2>No plugins yet</h2>
          <p>Install a plugin from its .tgz file, or load a plugin folder you are writing.</p>
        </div>
      )}
      <ul className="plugin-list" aria-label="Plugins">
        {plugins.map((plugin) => (
          <PluginCard
            key={plugin.id}
            plugin={settingsPageOf(plugin.id) ? { ...plugin, configurable: true } : plugin}
            pending={pending[plugin.id] === true}
            toggleError={errors[plugin.id] || undefined}
            developerMode={developerMode}
            onToggle={(enabled) => onToggle(plugin, enabled)}
            onApproveUpgrade={() => act(plugin.id, () => bridge.approveUpgrade(plugin.id))}
            onDeclineUpgrade={() => act(plugin.id, () => bridge.declineUpgrade(plugin.id))}
            onUninstall={() => setUninstalling(plugin)}
            onReload={() => act(plugin.id, () => bridge.reloadPlugin(plugin.id))}
            onRevokePermission={(capability) => act(plugin.id, () => bridge.revokePermission(plugin.id, capability))}
            onPin={(version) => act(plugin.id, () => bridge.pinPlugin(plugin.id, version))}
            renderConfig={() => {
              const page = settingsPageOf(plugin.id);
              if (page) {
                return (
                  <div data-testid="slot-settingsPage" data-plugin-id={plugin.id}>
                    <SlotHost target={slotTarget(page)} theme={theme} eager context={{ renderEnvironment: 'hostInline' }} />
                  </div>
                );
              }
              return <ConfigForm bridge={bridge} pluginId={plugin.id} displayName={plugin.displayName} onSaved={() => void store.getState().refreshPlugins()} />;
            }}
          />
        ))}
      </ul>
      <UninstalledList
        plugins={uninstalled}
        pending={pending}
        errors={errors}
        onRestore={(id) => act(id, () => bridge.restorePlugin(id))}
        onPurge={(id) => act(id, () => bridge.purgePlugin(id))}
      />
      {consent && (
        <ConsentDialog
          plugin={consent}
          onCancel={() => setConsent(null)}
          onAllow={() => {
            setConsent(null);
            act(consent.id, () => bridge.enablePlugin(consent.id, true));
          }}
        />
      )}
      {uninstalling && (
        <ConfirmDialog
          title={`Uninstall ${uninstalling.displayName}?`}
          confirmLabel="Uninstall"
          danger
          onCancel={() => setUninstalling(null)}
          onConfirm={() => {
            const id = uninstalling.id;
            setUninstalling(null);
            act(id, () => bridge.uninstallPlugin(id));
          }}
        >
          <p>
            It stops now and its widgets disappear. Its settings and data are kept
            {graceDays !== undefined ? ` for ${graceDays} days` : ' for a while'}: restore it from Recently uninstalled.
          </p>
        </ConfirmDialog>
      )}
    </div>
  );
}
