/**
 * Registry and update preferences, under Browse: the registry URL, per-scope registries
 * (`@acme = https://…`, npm's `@scope:registry`), an auth token per registry (stored in the
 * secret store; never shown again), how often updates are checked and when they install,
 * "Check for updates now", and whether READMEs show their images.
 */
import { useEffect, useId, useState, type FormEvent, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { PlinthBridge, PreferencesView, RegistryPreferencesView, UpdateCheckReport } from '../../../../preload/api.ts';
import type { ShellStore } from '../../shell-store.ts';
import { scopesToText, textToScopes } from './scope-lines.ts';
import { messageOf } from './use-catalog.ts';

const INTERVALS: Array<{ hours: number; label: string }> = [
  { hours: 0, label: 'Never' }, { hours: 6, label: 'Every 6 hours' }, { hours: 24, label: 'Daily' }, { hours: 168, label: 'Weekly' },
];

function summary(report: UpdateCheckReport): string {
  const done = report.items.filter((i) => i.status === 'upgraded').map((i) => `${i.id} ${i.to}`);
  const pending = report.items.filter((i) => i.status === 'upgrade_pending').map((i) => `${i.id} ${i.to}`);
  const later = report.items.filter((i) => i.status === 'available').map((i) => `${i.id} ${i.to}`);
  const failed = report.items.filter((i) => i.status === 'failed');
  const skipped = report.items.filter((i) => i.skipped).map((i) => `${i.id} ${i.skipped!.version} (${i.skipped!.reason})`);
  const parts = [
    done.length ? `Updated ${done.join(', ')}.` : '',
    pending.length ? `Waiting for your approval: ${pending.join(', ')}.` : '',
    later.length ? `Installs at the next start: ${later.join(', ')}.` : '',
    skipped.length ? `Not installed: ${skipped.join('; ')}.` : '',
    failed.length ? `Could not check ${failed.map((f) => `${f.id} (${f.error ?? 'error'})`).join('; ')}.` : '',
  ].filter(Boolean);
  return parts.length ? parts.join(' ') : report.items.length ? 'Everything is up to date.' : 'No plugins from a registry are installed.';
}

/** The registry and updates panel; the app preferences it shows and saves are the settings store's. */
export function RegistryPanel(props: { bridge: PlinthBridge; store: ShellStore }): ReactNode {
  const { bridge, store } = props;
  const imagesHint = useId();
  const [registry, setRegistry] = useState<RegistryPreferencesView | null>(null);
  const prefs = useStore(store, (s) => s.preferences);
  const [url, setUrl] = useState('');
  const [scopes, setScopes] = useState('');
  const [token, setToken] = useState('');
  const [status, setStatus] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [checking, setChecking] = useState(false);

  // Read again whenever the app preferences' registry URL or scopes change, so a save in another
  // window (preferences.changed reaches the store) shows here too.
  const savedRegistry = prefs ? JSON.stringify([prefs.registryUrl, prefs.registryScopes]) : '';
  useEffect(() => {
    void bridge.getRegistryPreferences().then((r) => {
      setRegistry(r);
      setUrl(r.url);
      setScopes(scopesToText(r.scopes));
    });
  }, [bridge, savedRegistry]);

  const run = async (what: () => Promise<void>) => {
    setStatus(null);
    try {
      await what();
    } catch (error) {
      setStatus({ kind: 'error', text: messageOf(error) });
    }
  };
  const save = (event: FormEvent) => {
    event.preventDefault();
    const parsed = textToScopes(scopes);
    if (!parsed.ok) {
      setStatus({ kind: 'error', text: parsed.message });
      return;
    }
    void run(async () => {
      const next = await bridge.setRegistryPreferences({ url, scopes: parsed.scopes, ...(token ? { token: { registry: url, value: token } } : {}) });
      setRegistry(next);
      setToken('');
      setStatus({ kind: 'ok', text: 'Saved.' });
    });
  };
  const setPref = (patch: Partial<PreferencesView>) => void run(async () => {
    store.getState().applyPreferences(await bridge.setPreferences(patch));
  });
  const hasToken = registry?.tokens.includes(url.endsWith('/') ? url : `${url}/`) ?? false;

  return (
    <details className="registry-panel card" data-testid="registry-panel">
      <summary><h3>Registry and updates</h3></summary>
      <form onSubmit={save} className="registry-form">
        <label>
          Registry
          <input type="url" value={url} onChange={(e) => setUrl(e.target.value)} required data-testid="registry-url" />
        </label>
        <label>
          Registries for scopes <span className="muted">(one per line: @acme = https://npm.acme.example/)</span>
          <textarea rows={2} value={scopes} onChange={(e) => setScopes(e.target.value)} data-testid="registry-scopes" />
        </label>
        <label>
          Auth token for this registry <span className="muted">{hasToken ? '(one is stored; type to replace it)' : '(optional)'}</span>
          <input type="password" autoComplete="off" value={token} onChange={(e) => setToken(e.target.value)} data-testid="registry-token" />
        </label>
        <div className="form-actions">
          <button type="submit" className="button primary">Save</button>
          {hasToken && (
            <button type="button" className="button secondary" onClick={() => void run(async () => {
              setRegistry(await bridge.setRegistryPreferences({ token: { registry: url, value: null } }));
              setStatus({ kind: 'ok', text: 'Token removed.' });
            })}>Remove token</button>
          )}
        </div>
      </form>
      {prefs && (
        <div className="registry-updates">
          <label>
            Check for updates
            <select value={prefs.updateCheckHours} onChange={(e) => setPref({ updateCheckHours: Number(e.target.value) })} data-testid="update-interval">
              {INTERVALS.map((i) => <option key={i.hours} value={i.hours}>{i.label}</option>)}
              {!INTERVALS.some((i) => i.hours === prefs.updateCheckHours) && <option value={prefs.updateCheckHours}>Every {prefs.updateCheckHours} hours</option>}
            </select>
          </label>
          <label>
            Install updates that ask for nothing new
            <select value={prefs.updateInstall} onChange={(e) => setPref({ updateInstall: e.target.value as PreferencesView['updateInstall'] })}>
              <option value="immediately">At once</option>
              <option value="next-start">At the next start</option>
            </select>
          </label>
          <label className="registry-check">
            <input type="checkbox" checked={prefs.readmeRemoteImages} aria-describedby={imagesHint} data-testid="pref-readmeRemoteImages"
              onChange={(e) => setPref({ readmeRemoteImages: e.currentTarget.checked })} />
            Show images in plugin READMEs
          </label>
          <p className="muted registry-hint" id={imagesHint}>
            Off: each README shows a "Show images" button. Images come through Plinth without cookies, but their servers see your IP address and that you looked.
          </p>
          <button type="button" className="button secondary" disabled={checking} data-testid="check-updates" onClick={() => {
            setChecking(true);
            void run(async () => setStatus({ kind: 'ok', text: summary(await bridge.checkForUpdates()) })).finally(() => setChecking(false));
          }}>{checking ? 'Checking…' : 'Check for updates now'}</button>
        </div>
      )}
      {status && <p className={status.kind === 'error' ? 'alert' : 'form-status'} role={status.kind === 'error' ? 'alert' : 'status'}>{status.text}</p>}
    </details>
  );
}
