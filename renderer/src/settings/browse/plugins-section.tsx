/**
 * Settings → Plugins has two views: **Installed** (the plugin cards) and **Browse** (the
 * registry). Above the installed list, registry plugins with news: an update waiting for the
 * next start, or an installed version its publisher has since deprecated or unpublished.
 */
import type { ReactNode } from 'react';
import type { PluginSummary } from '../../../../preload/api.ts';

/** Update indicators for registry plugins. */
export function UpdateNotices(props: { plugins: PluginSummary[] }): ReactNode {
  const news = props.plugins.filter((p) => p.origin && (p.origin.updateAvailable || p.origin.installedYanked || p.origin.updateSkipped || p.origin.pinnedVersion));
  if (news.length === 0) return null;
  return (
    <ul className="update-notices" aria-label="Updates" data-testid="update-notices">
      {news.map((p) => (
        <li key={p.id} className="banner" data-plugin-id={p.id}>
          <strong>{p.displayName}</strong>{' '}
          {p.origin?.updateAvailable && <span>{p.origin.updateAvailable} is ready and installs at the next start.</span>}{' '}
          {p.origin?.installedYanked && <span className="warn">Version {p.version} was {p.origin.installedYanked}; it keeps running, and only a newer version replaces it.</span>}{' '}
          {p.origin?.updateSkipped && (
            <span className="warn" data-testid="update-skipped">Version {p.origin.updateSkipped.version} was not installed: {p.origin.updateSkipped.reason}.</span>
          )}{' '}
          {p.origin?.pinnedVersion && <span className="muted">Pinned at {p.origin.pinnedVersion}: not updated.</span>}
        </li>
      ))}
    </ul>
  );
}

/** The Installed / Browse switch; `view` is controlled so an install can switch back to Installed. */
export function PluginsSection(props: { view: 'installed' | 'browse'; onView(view: 'installed' | 'browse'): void; installed: ReactNode; browse: ReactNode }): ReactNode {
  return (
    <div className="plugins-section">
      <div className="segmented" role="tablist" aria-label="Plugins">
        {(['installed', 'browse'] as const).map((v) => (
          <button key={v} type="button" role="tab" aria-selected={props.view === v} data-testid={`plugins-view-${v}`}
            className={`segment${props.view === v ? ' selected' : ''}`} onClick={() => props.onView(v)}>
            {v === 'installed' ? 'Installed' : 'Browse'}
          </button>
        ))}
      </div>
      <div role="tabpanel">{props.view === 'installed' ? props.installed : props.browse}</div>
    </div>
  );
}
