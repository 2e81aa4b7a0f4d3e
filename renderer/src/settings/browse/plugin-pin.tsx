/**
 * The version a registry plugin stays at: Pin chooses one of the registry's published versions
 * (installing it first when another is installed; deprecated versions and those needing another
 * plugin API cannot be chosen), and the update check leaves a pinned plugin alone until Unpin.
 */
import { useState, type ReactNode } from 'react';
import type { PluginSummary } from '../../../../preload/api.ts';
import { useAsync } from '../../views/use-async.ts';
import './browse.css';

/** Props of {@link PluginPin}. */
export interface PluginPinProps {
  plugin: PluginSummary;
  /** An action on the plugin is in flight. */
  pending: boolean;
  /** Pins at `version`, or unpins with `null`; errors show on the card. */
  onPin(version: string | null): void;
}

/** The pin control inside a registry plugin's card. */
export function PluginPin(props: PluginPinProps): ReactNode {
  const { plugin, pending } = props;
  const pinned = plugin.origin?.pinnedVersion ?? null;
  const details = useAsync(() => window.plinth.catalogDetails(plugin.id), plugin.id);
  const [choice, setChoice] = useState<string>(pinned ?? plugin.version);
  if (pinned) {
    return (
      <div className="plugin-pin" data-testid="plugin-pin">
        <p>Pinned at {pinned}: update checks leave this plugin at this version.</p>
        <button type="button" className="button secondary small" disabled={pending} data-testid="plugin-unpin" onClick={() => props.onPin(null)}>Unpin</button>
      </div>
    );
  }
  const versions = details.data?.versions ?? [];
  return (
    <div className="plugin-pin" data-testid="plugin-pin">
      {details.error ? <p className="alert" role="alert">Could not read the versions from {plugin.origin?.registry}: {details.error}</p> : (
        <label>
          Keep this plugin at version{' '}
          <select value={choice} onChange={(e) => setChoice(e.target.value)} disabled={!details.data} data-testid="plugin-pin-version">
            {!details.data && <option value={choice}>{choice}</option>}
            {versions.map((v) => (
              <option key={v.version} value={v.version} disabled={v.deprecated !== null || !v.enginesSatisfied}>
                {v.version}{v.version === plugin.version ? ' (installed)' : ''}{v.deprecated !== null ? ' (deprecated)' : !v.enginesSatisfied ? ' (needs another Plinth)' : ''}
              </option>
            ))}
          </select>
        </label>
      )}{' '}
      <button type="button" className="button secondary small" disabled={pending || !details.data} data-testid="plugin-pin-apply" onClick={() => props.onPin(choice)}>
        {choice === plugin.version ? 'Pin' : `Install ${choice} and pin`}
      </button>
    </div>
  );
}
