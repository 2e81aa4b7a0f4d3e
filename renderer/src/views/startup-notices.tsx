/**
 * What the app repaired or restored at start (a damaged database or settings file moved aside, a
 * backup restored), told once per window at the top of the main window, with the kept file's
 * path to copy. Dismissing hides it for this window.
 */
import { useEffect, useState, type ReactNode } from 'react';
import type { StartupNotice } from '../../../preload/api.ts';
import { CopyButton } from './copy-button.tsx';

const TITLE: Record<StartupNotice['kind'], string> = {
  'database-recovered': 'The database was damaged and has been replaced',
  'settings-recovered': 'The settings file was damaged and has been repaired',
  'database-restored': 'A backup of the database was restored',
};

/** The notices banner; renders nothing when there is nothing to tell. */
export function StartupNotices(): ReactNode {
  const [notices, setNotices] = useState<StartupNotice[]>([]);
  useEffect(() => {
    let live = true;
    // Without notices (or if asking fails) there is nothing to show: the app works as usual.
    window.plinth.startupNotices().then((list) => { if (live) setNotices(list); }, () => undefined);
    return () => { live = false; };
  }, []);
  if (notices.length === 0) return null;
  return (
    <div className="startup-notices" data-testid="startup-notices">
      {notices.map((notice, i) => (
        <div key={`${notice.kind}-${i}`} className="alert" role="alert" data-testid="startup-notice" data-kind={notice.kind}>
          <strong>{TITLE[notice.kind]}.</strong> {notice.message}
          <div className="alert-actions">
            {notice.keptAs && <CopyButton text={notice.keptAs} label="Copy path" accessibleName="Copy the path of the kept file" testId="startup-notice-copy" />}
            <button type="button" className="button secondary small" data-testid="startup-notice-dismiss" onClick={() => setNotices((list) => list.filter((n) => n !== notice))}>Dismiss</button>
          </div>
        </div>
      ))}
    </div>
  );
}
