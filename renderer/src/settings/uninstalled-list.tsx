/**
 * Recently uninstalled: plugins whose config and state are kept for the grace
 * period, with Restore and Purge now (asks first: purging deletes them for good).
 */
import { useState, type ReactNode } from 'react';
import type { UninstalledPlugin } from '../../../preload/api.ts';
import { ConfirmDialog } from './modal.tsx';

function day(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
}

/** Props of {@link UninstalledList}. */
export interface UninstalledListProps {
  plugins: UninstalledPlugin[];
  pending: Record<string, boolean>;
  errors: Record<string, string>;
  onRestore(pluginId: string): void;
  onPurge(pluginId: string): void;
}

/** The section; renders nothing while the list is empty. */
export function UninstalledList(props: UninstalledListProps): ReactNode {
  const [purging, setPurging] = useState<UninstalledPlugin | null>(null);
  if (props.plugins.length === 0) return null;
  return (
    <section className="uninstalled" aria-labelledby="recently-uninstalled" data-testid="recently-uninstalled">
      <h2 id="recently-uninstalled">Recently uninstalled</h2>
      <p className="muted">Their settings and data are kept until the date shown, so you can restore them.</p>
      <ul className="uninstalled-list">
        {props.plugins.map((p) => (
          <li key={p.id} className="card uninstalled-row" data-testid="uninstalled-plugin" data-plugin-id={p.id}>
            <div className="uninstalled-text">
              <strong>{p.displayName}</strong> <span className="muted">v{p.version}</span>
              <p className="hint">Uninstalled {day(p.uninstalledAt)} · deleted for good after {day(p.purgeAfter)}</p>
              {props.errors[p.id] && <p className="alert" role="alert">{props.errors[p.id]}</p>}
            </div>
            <div className="uninstalled-actions">
              <button type="button" className="button secondary small" disabled={props.pending[p.id]} data-testid="restore" onClick={() => props.onRestore(p.id)}>
                Restore
              </button>
              <button type="button" className="button secondary small danger-text" disabled={props.pending[p.id]} data-testid="purge" onClick={() => setPurging(p)}>
                Purge now
              </button>
            </div>
          </li>
        ))}
      </ul>
      {purging && (
        <ConfirmDialog
          title={`Purge ${purging.displayName} now?`}
          confirmLabel="Purge"
          danger
          onCancel={() => setPurging(null)}
          onConfirm={() => {
            props.onPurge(purging.id);
            setPurging(null);
          }}
        >
          <p>Its settings, saved state and data are deleted now. This cannot be undone.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
