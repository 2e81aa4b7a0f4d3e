/**
 * Settings → Preferences: developer mode, idle timeout, uninstall grace period, webhook and MCP
 * ports, worker heap cap and theme. Each field saves on its own (switch and select at once,
 * numbers on Enter or leaving the field), so a refusal from the host shows next to that field.
 */
import { useId, useRef, useState, type ReactNode } from 'react';
import type { PreferencesView } from '../../../preload/api.ts';
import { BackupsSection } from './backups-section.tsx';
import { errorMessage } from './format.ts';
import { LoadStatus } from './load-status.tsx';
import { errorTarget, fieldText, parseField, type NumericPreference, type PreferenceField } from './preference-fields.ts';
import { usePreferences } from './use-preferences.ts';
import './views.css';

interface NumericSpec { field: NumericPreference; label: string; unit: string; hint: string; step: string }

/** The numeric fields, in form order. */
const NUMERIC_FIELDS: readonly NumericSpec[] = [
  { field: 'idleTimeoutMs', label: 'Idle timeout', unit: 'minutes', step: 'any', hint: 'A worker with nothing to do is stopped after this long and started again when needed.' },
  { field: 'uninstallGraceDays', label: 'Keep uninstalled plugins', unit: 'days', step: '1', hint: 'Config and state of an uninstalled plugin stay restorable this long.' },
  { field: 'webhookPort', label: 'Webhook port', unit: '', step: '1', hint: '0 picks a free port at start.' },
  { field: 'mcpPort', label: 'MCP server port', unit: '', step: '1', hint: '0 picks a free port at start.' },
  { field: 'workerHeapMb', label: 'Worker memory limit', unit: 'MB', step: '1', hint: 'Heap cap of each plugin worker process; a worker that needs more is stopped and reported.' },
];
const FORM_FIELDS: readonly PreferenceField[] = ['developerMode', ...NUMERIC_FIELDS.map((s) => s.field), 'theme'];

function FieldError(props: { id: string; field: PreferenceField; message: string | undefined }): ReactNode {
  if (!props.message) return null;
  return <p className="field-error" id={props.id} role="alert" data-testid={`pref-error-${props.field}`}>{props.message}</p>;
}

/** The Preferences form. */
export function PreferencesPanel(): ReactNode {
  const prefs = usePreferences('preferences');
  const [drafts, setDrafts] = useState<Partial<Record<NumericPreference, string>>>({});
  const [errors, setErrors] = useState<Partial<Record<PreferenceField, string>>>({});
  const [saving, setSaving] = useState<PreferenceField | null>(null);
  const [savedField, setSavedField] = useState<PreferenceField | null>(null);
  // Completed saves (ok or refused), exposed as data-save-count: a signal tests and tools can await.
  const [saveCount, setSaveCount] = useState(0);
  const baseId = useId();
  // A save in flight, read synchronously: Enter followed by blur must not save twice.
  const inFlight = useRef<PreferenceField | null>(null);
  // The text of each number field the host last refused: leaving the field after Enter does not send it again.
  const refusedText = useRef<Partial<Record<NumericPreference, string>>>({});
  const view = prefs.data;

  const setError = (field: PreferenceField, message: string | undefined) => setErrors((e) => ({ ...e, [field]: message }));

  /** Saves one field; resolves true when the host took it. */
  async function save(field: PreferenceField, patch: Partial<PreferencesView>): Promise<boolean> {
    inFlight.current = field;
    setSaving(field);
    setSavedField(null);
    try {
      const next = await window.plinth.setPreferences(patch);
      prefs.setData(next);
      setError(field, undefined);
      setDrafts((d) => ({ ...d, [field]: undefined }));
      setSavedField(field);
      return true;
    } catch (err) {
      const message = errorMessage(err);
      setError(errorTarget(field, message, FORM_FIELDS), message);
      return false;
    } finally {
      if (inFlight.current === field) inFlight.current = null;
      setSaving(null);
      setSaveCount((n) => n + 1);
    }
  }

  function commitNumber(spec: NumericSpec): void {
    if (!view || inFlight.current === spec.field) return;
    const draft = drafts[spec.field];
    if (draft === undefined || draft === fieldText(spec.field, view) || draft === refusedText.current[spec.field]) return;
    const parsed = parseField(spec.field, draft);
    if (!parsed.ok) {
      setError(spec.field, parsed.message);
      return;
    }
    void save(spec.field, { [spec.field]: parsed.value }).then((saved) => {
      refusedText.current[spec.field] = saved ? undefined : draft;
    });
  }

  function revert(field: NumericPreference): void {
    refusedText.current[field] = undefined;
    setDrafts((d) => ({ ...d, [field]: undefined }));
    setError(field, undefined);
  }

  const idOf = (field: string) => `${baseId}-${field}`;
  const describedBy = (field: PreferenceField) => [`${idOf(field)}-hint`, errors[field] ? `${idOf(field)}-error` : ''].filter(Boolean).join(' ');

  return (
    <section className="view" data-testid="preferences-panel" data-loaded={view ? 'true' : 'false'} data-save-count={saveCount} aria-labelledby={idOf('heading')}>
      <div className="view-heading">
        <h2 id={idOf('heading')}>Preferences</h2>
        <p className="muted" data-testid="pref-status" aria-live="polite">
          {saving ? 'Saving…' : savedField ? 'Saved.' : 'Changes save as you make them.'}
        </p>
      </div>
      <LoadStatus loaded={view !== undefined} error={prefs.error} errorTitle="Could not load the preferences" testId="preferences" />
      {view && (
        <div className="form card">
          <div className="form-row">
            <div className="form-label">
              <span id={idOf('developerMode-label')}>Developer mode</span>
              <p className="hint" id={`${idOf('developerMode')}-hint`}>Shows worker pids, plugin logs and the Reload button.</p>
            </div>
            <label className="switch">
              <input
                type="checkbox"
                role="switch"
                data-testid="pref-developerMode"
                aria-labelledby={idOf('developerMode-label')}
                aria-describedby={describedBy('developerMode')}
                checked={view.developerMode}
                disabled={saving === 'developerMode'}
                onChange={(e) => void save('developerMode', { developerMode: e.currentTarget.checked })}
              />
              <span className="switch-track" aria-hidden="true"><span className="switch-thumb" /></span>
              <span className="switch-label">{view.developerMode ? 'On' : 'Off'}</span>
            </label>
            <FieldError id={`${idOf('developerMode')}-error`} field="developerMode" message={errors.developerMode} />
          </div>
          {NUMERIC_FIELDS.map((spec) => (
            <div className="form-row" key={spec.field}>
              <div className="form-label">
                <label htmlFor={idOf(spec.field)}>{spec.label}</label>
                <p className="hint" id={`${idOf(spec.field)}-hint`}>{spec.hint}</p>
              </div>
              <div className="input-with-unit">
                <input
                  id={idOf(spec.field)}
                  className="input number"
                  type="number"
                  inputMode="decimal"
                  step={spec.step}
                  data-testid={`pref-${spec.field}`}
                  aria-invalid={errors[spec.field] ? 'true' : undefined}
                  aria-describedby={describedBy(spec.field)}
                  value={drafts[spec.field] ?? fieldText(spec.field, view)}
                  // Read-only, not disabled, while saving: disabling the focused field would move
                  // keyboard focus to the page (and blur it once more after the save).
                  readOnly={saving === spec.field}
                  aria-busy={saving === spec.field}
                  onChange={(e) => {
                    const text = e.currentTarget.value;
                    setDrafts((d) => ({ ...d, [spec.field]: text }));
                  }}
                  onBlur={() => commitNumber(spec)}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter') commitNumber(spec);
                    if (e.key === 'Escape') revert(spec.field);
                  }}
                />
                <span className="unit muted" aria-hidden={spec.unit ? undefined : true}>{spec.unit}</span>
              </div>
              <FieldError id={`${idOf(spec.field)}-error`} field={spec.field} message={errors[spec.field]} />
            </div>
          ))}
          <div className="form-row">
            <div className="form-label">
              <label htmlFor={idOf('theme')}>Theme</label>
              <p className="hint" id={`${idOf('theme')}-hint`}>System follows your operating system&apos;s light or dark setting.</p>
            </div>
            <select
              id={idOf('theme')}
              className="input"
              data-testid="pref-theme"
              aria-describedby={describedBy('theme')}
              value={view.theme}
              disabled={saving === 'theme'}
              onChange={(e) => void save('theme', { theme: e.currentTarget.value as PreferencesView['theme'] })}
            >
              <option value="system">System</option>
              <option value="light">Light</option>
              <option value="dark">Dark</option>
            </select>
            <FieldError id={`${idOf('theme')}-error`} field="theme" message={errors.theme} />
          </div>
        </div>
      )}
      <BackupsSection />
    </section>
  );
}
