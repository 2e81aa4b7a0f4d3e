/**
 * One plugin in the settings window: identity, lifecycle and runtime state, health, capabilities
 * in plain words, errors, the enable switch, an upgrade waiting for approval, and its sections
 * (settings, jobs, webhooks; logs, pid and Reload in Developer mode).
 */
import { useId, type CSSProperties, type ReactNode } from 'react';
import type { LifecycleState, PluginSource, PluginSummary } from '../../preload/api.ts';
import { Disclosure, HealthBadge, UpgradeBanner } from './settings/card-parts.tsx';
import { PluginIcon } from './plugin-icon.tsx';
import { PluginPermissions } from './settings/plugin-permissions.tsx';
import { PluginPin } from './settings/browse/plugin-pin.tsx';
import { UNSANDBOXED_WORDS } from '../../sdk/protocol/capabilities.ts';
import { PluginJobs } from './views/plugin-jobs.tsx';
import { PluginLogs } from './views/plugin-logs.tsx';
import { PluginWebhooks } from './views/plugin-webhooks.tsx';
import { ErrorAlert } from './views/load-status.tsx';
import { RUNTIME_LABEL, RUNTIME_TONE } from './views/running-columns.ts';

const SOURCE_LABEL: Record<PluginSource, string> = {
  bundled: 'Built-in',
  user: 'From file',
  unpacked: 'Unpacked',
};

/** The host name of a registry URL for its badge ("registry.npmjs.org"), or the URL as given. */
function registryName(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
const STATE_LABEL: Record<LifecycleState, string> = {
  installed: 'Installed',
  ready: 'Ready',
  disabled: 'Disabled',
  error: 'Error',
  upgrade_pending: 'Update awaiting approval',
  uninstalled: 'Uninstalled',
};
/** Badge tone per lifecycle state, so colour never carries meaning alone (the label says it too). */
const STATE_TONE: Record<LifecycleState, string> = {
  installed: 'neutral', ready: 'ok', disabled: 'neutral', error: 'danger', upgrade_pending: 'warn', uninstalled: 'neutral',
};

/** Why bundled plugins have no Uninstall. */
const BUNDLED_UNINSTALL_HINT = 'Built-in plugins come with Plinth: switch them off instead.';

/** Props of {@link PluginCard}. */
export interface PluginCardProps {
  plugin: PluginSummary;
  /** An action on this plugin is in flight. */
  pending: boolean;
  /** The last action's error. */
  toggleError: string | undefined;
  /** Developer mode (a preference): pid, Logs and Reload. */
  developerMode: boolean;
  /** The switch was flipped; the owner asks for consent when needed. */
  onToggle(enabled: boolean): void;
  onApproveUpgrade(): void;
  onDeclineUpgrade(): void;
  onUninstall(): void;
  onReload(): void;
  /** Revokes an allowed runtime permission, or forgets a denied one (API 1.1). */
  onRevokePermission(capability: string): void;
  /** Pins a registry plugin at `version` (installed first when another), or unpins with `null`. */
  onPin(version: string | null): void;
  /** The plugin's settings form (shown for `configurable` plugins). */
  renderConfig(): ReactNode;
}

/** Edge length of the manifest icon inside the card's 40 px avatar (px). */
const AVATAR_ICON_SIZE = 24;

function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  return ((words[0]?.[0] ?? '?') + (words[1]?.[0] ?? '')).toUpperCase();
}

/** A stable hue per plugin id for its avatar. */
function hueOf(id: string): number {
  let hash = 0;
  for (const char of id) hash = (hash * 31 + char.charCodeAt(0)) % 360;
  return hash;
}

/** A plugin card with its enable switch. */
export function PluginCard(props: PluginCardProps): ReactNode {
  const { plugin, pending, toggleError } = props;
  const switchId = useId();
  const descriptionId = useId();
  return (
    <li
      className="card plugin-card"
      data-testid="plugin-card"
      data-plugin-id={plugin.id}
      data-state={plugin.state}
      data-runtime={plugin.runtime}
      data-enabled={plugin.enabled ? 'true' : 'false'}
    >
      <div className="plugin-head">
        <div className="avatar" style={{ '--avatar-hue': hueOf(plugin.id) } as CSSProperties} aria-hidden="true" data-testid="plugin-avatar">
          {/* Keyed by URL and version (the URL stays across versions): an upgrade's icon is tried again after a failed one. */}
          <PluginIcon key={`${plugin.pluginIcon}@${plugin.version}`} src={plugin.pluginIcon} size={AVATAR_ICON_SIZE} fallback={initials(plugin.displayName)} />
        </div>
        <div className="plugin-title">
          <h2 data-testid="plugin-name">{plugin.displayName}</h2>
          <div className="plugin-meta">
            <span>v{plugin.version}</span>
            <span className="badge outline" data-testid="plugin-source" data-source={plugin.origin ? 'registry' : plugin.source} title={plugin.origin?.registry}>
              {plugin.origin ? `From ${registryName(plugin.origin.registry)}` : SOURCE_LABEL[plugin.source]}
            </span>
            {plugin.unsandboxed && (
              <span className="badge full-access" data-testid="plugin-full-access" title={UNSANDBOXED_WORDS}>
                <span aria-hidden="true">⚠ </span>Full access
              </span>
            )}
            <code className="plugin-id">{plugin.id}</code>
          </div>
        </div>
        <label className="switch" htmlFor={switchId}>
          <input
            id={switchId}
            type="checkbox"
            role="switch"
            checked={plugin.enabled}
            disabled={pending}
            aria-describedby={descriptionId}
            aria-label={`Enable ${plugin.displayName}`}
            data-testid="plugin-toggle"
            onChange={(event) => props.onToggle(event.currentTarget.checked)}
          />
          <span className="switch-track" aria-hidden="true"><span className="switch-thumb" /></span>
          <span className="switch-label">{plugin.enabled ? 'On' : 'Off'}</span>
        </label>
      </div>
      <p className="plugin-description" id={descriptionId}>{plugin.description || 'No description.'}</p>
      <div className="status-row">
        <span className={`badge ${STATE_TONE[plugin.state]}`} data-testid="plugin-state">{STATE_LABEL[plugin.state]}</span>
        <span className={`badge ${RUNTIME_TONE[plugin.runtime]}`} data-testid="plugin-runtime" title="Worker process">
          Worker: {RUNTIME_LABEL[plugin.runtime]}
        </span>
        {plugin.health && <HealthBadge health={plugin.health} />}
        {props.developerMode && plugin.pid !== undefined && (
          <span className="badge outline" data-testid="plugin-pid">pid {plugin.pid}</span>
        )}
      </div>
      <UpgradeBanner plugin={plugin} pending={pending} onApprove={props.onApproveUpgrade} onDecline={props.onDeclineUpgrade} />
      {plugin.enabled && plugin.state === 'installed' && plugin.configurable && (
        <p className="hint" data-testid="plugin-needs-config">Switched on: it starts once its settings are filled in below.</p>
      )}
      {plugin.error && <ErrorAlert title="Problem" message={plugin.error} testId="plugin-error" />}
      {toggleError && <ErrorAlert title="That did not work" message={toggleError} testId="toggle-error" />}
      {plugin.warnings.length > 0 && (
        <ul className="warnings" data-testid="plugin-warnings">
          {plugin.warnings.map((warning) => <li key={warning}>{warning}</li>)}
        </ul>
      )}
      {plugin.capabilities.length > 0 && (
        <div className="capabilities">
          <h3>This plugin can</h3>
          <ul data-testid="plugin-capabilities">
            {plugin.capabilities.map((c) => <li key={c.capability} title={c.capability}>{c.description}</li>)}
          </ul>
        </div>
      )}
      <PluginPermissions plugin={plugin} pending={pending} onRevoke={props.onRevokePermission} />
      <CardSections {...props} />
    </li>
  );
}

/** Actions and sections under the card body. */
function CardSections(props: PluginCardProps): ReactNode {
  const { plugin, pending, developerMode } = props;
  const hintId = useId();
  const bundled = plugin.source === 'bundled';
  return (
    <>
      <div className="card-actions" role="group" aria-label={`${plugin.displayName} actions`}>
        {developerMode && (
          <button type="button" className="button secondary small" disabled={pending} data-testid="plugin-reload" onClick={props.onReload}>
            Reload
          </button>
        )}
        <button
          type="button"
          className="button secondary small danger-text"
          data-testid="plugin-uninstall"
          aria-disabled={bundled || pending}
          aria-describedby={bundled ? hintId : undefined}
          title={bundled ? BUNDLED_UNINSTALL_HINT : undefined}
          onClick={() => {
            if (!bundled && !pending) props.onUninstall();
          }}
        >
          Uninstall
        </button>
        {bundled && <span id={hintId} className="visually-hidden">{BUNDLED_UNINSTALL_HINT}</span>}
      </div>
      {plugin.origin && plugin.source === 'user' && (
        <Disclosure name="plugin-version" label={plugin.origin.pinnedVersion ? `Version: pinned at ${plugin.origin.pinnedVersion}` : 'Version: pin'}>
          {() => <PluginPin plugin={plugin} pending={pending} onPin={props.onPin} />}
        </Disclosure>
      )}
      {plugin.configurable && <Disclosure name="plugin-settings" label="Settings">{props.renderConfig}</Disclosure>}
      {(plugin.jobCount ?? 0) > 0 && <Disclosure name="plugin-jobs" label={`Jobs (${plugin.jobCount})`}>{() => <PluginJobs pluginId={plugin.id} />}</Disclosure>}
      {(plugin.webhookCount ?? 0) > 0 && (
        <Disclosure name="plugin-webhooks" label={`Webhooks (${plugin.webhookCount})`}>{() => <PluginWebhooks pluginId={plugin.id} />}</Disclosure>
      )}
      {developerMode && <Disclosure name="plugin-logs" label="Logs">{() => <PluginLogs pluginId={plugin.id} />}</Disclosure>}
    </>
  );
}
