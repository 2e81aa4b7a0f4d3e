/**
 * Settings → Preferences → Database backups: the daily backups of the profile database (newest
 * first), "Back up now", and restoring one. A restore replaces the open database, so it is
 * applied at the next start; until then it can be cancelled. The database it replaces is kept.
 */
import { useState, type ReactNode } from 'react';
import type { BackupInfo } from '../../../preload/api.ts';
import { ConfirmDialog } from '../settings/modal.tsx';
import { errorMessage, formatDateTime, formatNumber } from './format.ts';
import { LoadStatus } from './load-status.tsx';
import { useAsync } from './use-async.ts';

function formatSize(bytes: number): string {
  return bytes < 1024 * 1024 ? `${formatNumber(bytes / 1024, 0)} KB` : `${formatNumber(bytes / 1024 / 1024, 1)} MB`;
}

/** The backups section. */
export function BackupsSection(): ReactNode {
  const backups = useAsync(() => window.plinth.listBackups(), 'backups');
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<BackupInfo | null>(null);
  const view = backups.data;

  async function run(what: string, action: () => Promise<void>): Promise<void> {
    setBusy(what);
    setError(null);
    try {
      await action();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(null);
    }
  }
  const backUp = () => run('create', async () => {
    await window.plinth.backupNow();
    await backups.reload();
  });
  const restore = (name: string) => run(`restore:${name}`, async () => backups.setData(await window.plinth.restoreBackup(name)));
  const cancel = () => run('cancel', async () => backups.setData(await window.plinth.cancelRestore()));

  return (
    <section className="view" data-testid="backups-section" data-loaded={view ? 'true' : 'false'} aria-labelledby="backups-heading">
      <div className="view-heading row">
        <h2 id="backups-heading">Database backups</h2>
        <button type="button" className="button secondary small" data-testid="backup-now" disabled={busy !== null} onClick={() => void backUp()}>
          {busy === 'create' ? 'Backing up…' : 'Back up now'}
        </button>
      </div>
      <p className="muted">Plinth backs up its database once a day and keeps the last 7{view ? <> in <code data-testid="backups-dir">{view.dir}</code></> : null}.</p>
      <LoadStatus loaded={view !== undefined} error={backups.error} errorTitle="Could not list the backups" testId="backups" />
      {error && <div className="alert" role="alert" data-testid="backup-error">{error}</div>}
      {view?.pendingRestore && (
        <div className="alert" role="status" data-testid="backup-pending">
          <strong>Restart Plinth to finish.</strong> The backup {view.pendingRestore} replaces the database at the next start; the current one is kept beside it.
          <div className="alert-actions">
            <button type="button" className="button secondary small" data-testid="backup-cancel" disabled={busy !== null} onClick={() => void cancel()}>Cancel restore</button>
          </div>
        </div>
      )}
      {view && view.backups.length === 0 && <p className="muted" data-testid="backups-empty">No backup yet.</p>}
      {view && view.backups.length > 0 && (
        <div className="table-scroll">
          <table className="data-table" data-testid="backups-table">
            <thead><tr><th scope="col">Made</th><th scope="col">Size</th><th scope="col"><span className="visually-hidden">Actions</span></th></tr></thead>
            <tbody>
              {view.backups.map((b) => (
                <tr key={b.name} data-testid="backup-row" data-name={b.name}>
                  <td>{formatDateTime(b.createdAt)}</td>
                  <td>{formatSize(b.sizeBytes)}</td>
                  <td>
                    <button type="button" className="button secondary small" data-testid="backup-restore" disabled={busy !== null || view.pendingRestore === b.name}
                      aria-label={`Restore the backup made ${formatDateTime(b.createdAt)}`} onClick={() => setConfirming(b)}>
                      {view.pendingRestore === b.name ? 'Restores at next start' : 'Restore…'}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {confirming && (
        <ConfirmDialog
          title={`Restore the backup made ${formatDateTime(confirming.createdAt)}?`}
          confirmLabel="Restore at next start"
          onCancel={() => setConfirming(null)}
          onConfirm={() => {
            const name = confirming.name;
            setConfirming(null);
            void restore(name);
          }}
        >
          <p className="muted">Plugin settings, plugin data and the workspace go back to this backup when Plinth next starts. What changed since is not lost: the current database is kept in the profile folder.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
