/** One plugin in the settings window: identity, state, capabilities in plain words, errors, enable switch. */
import { useId, type CSSProperties, type ReactNode } from 'react';
import type { LifecycleState, PluginSource, PluginSummary, RuntimeState } from '../../preload/api.ts';

const SOURCE_LABEL: Record<PluginSource, string> = {
  bundled: 'Built-in',
  user: 'Installed',
  unpacked: 'Unpacked',
};
const STATE_LABEL: Record<LifecycleState, string> = {
  installed: 'Installed',
  ready: 'Ready',
  disabled: 'Disabled',
  error: 'Error',
  upgrade_pending: 'Update awaiting approval',
  uninstalled: 'Uninstalled',
};
const RUNTIME_LABEL: Record<RuntimeState, string> = {
  stopped: 'Idle',
  starting: 'Starting',
  running: 'Running',
  backoff: 'Restarting soon',
  crashed: 'Crashed',
};
/** Badge tone per lifecycle state, so colour never carries meaning alone (the label says it too). */
const STATE_TONE: Record<LifecycleState, string> = {
  installed: 'neutral', ready: 'ok', disabled: 'neutral', error: 'danger', upgrade_pending: 'warn', uninstalled: 'neutral',
};
const RUNTIME_TONE: Record<RuntimeState, string> = {
  stopped: 'neutral', starting: 'info', running: 'ok', backoff: 'warn', crashed: 'danger',
};

/** Props of {@link PluginCard}. */
export interface PluginCardProps {
  plugin: PluginSummary;
  pending: boolean;
  toggleError: string | undefined;
  onToggle(enabled: boolean): void;
}

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
        <div className="avatar" style={{ '--avatar-hue': hueOf(plugin.id) } as CSSProperties} aria-hidden="true">
          {initials(plugin.displayName)}
        </div>
        <div className="plugin-title">
          <h2 data-testid="plugin-name">{plugin.displayName}</h2>
          <div className="plugin-meta">
            <span>v{plugin.version}</span>
            <span className="badge outline" data-testid="plugin-source" data-source={plugin.source}>{SOURCE_LABEL[plugin.source]}</span>
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
        <span className={`badge ${RUNTIME_TONE[plugin.runtime]}`} data-testid="plugin-runtime">
          {RUNTIME_LABEL[plugin.runtime]}
          {plugin.pid !== undefined && plugin.runtime === 'running' ? ` · pid ${plugin.pid}` : ''}
        </span>
      </div>
      {plugin.error && (
        <div className="alert" role="alert" data-testid="plugin-error">
          <strong>Problem</strong>
          <span>{plugin.error}</span>
        </div>
      )}
      {toggleError && (
        <div className="alert" role="alert" data-testid="toggle-error">
          <strong>Could not {plugin.enabled ? 'disable' : 'enable'}</strong>
          <span>{toggleError}</span>
        </div>
      )}
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
    </li>
  );
}
