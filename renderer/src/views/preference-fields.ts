/**
 * Turning the Preferences form's text inputs into a `setPreferences` patch and the host's
 * refusals back into an error next to the right field. Pure.
 */
import type { PreferencesView } from '../../../preload/api.ts';

/** A preference field name. */
export type PreferenceField = keyof PreferencesView;

/** The numeric fields the form edits as text. */
export type NumericPreference = 'idleTimeoutMs' | 'uninstallGraceDays' | 'webhookPort' | 'mcpPort' | 'workerHeapMb';

const MS_PER_MINUTE = 60_000;
/** Decimals kept when showing ms as minutes: 0.17 min ≈ 10 s, the shortest idle timeout. */
const MINUTE_DECIMALS = 2;

/** Every field, for matching error messages. */
export const PREFERENCE_FIELDS: readonly PreferenceField[] = [
  'developerMode', 'idleTimeoutMs', 'uninstallGraceDays', 'webhookPort', 'mcpEnabled', 'mcpPort', 'workerHeapMb', 'theme',
];

/** The result of reading a numeric input: the patch value or what to tell the user. */
export type ParsedField = { ok: true; value: number } | { ok: false; message: string };

/** The idle timeout as the form shows it: minutes, up to two decimals, no trailing zeros. */
export function msToMinutesText(ms: number): string {
  return String(Number((ms / MS_PER_MINUTE).toFixed(MINUTE_DECIMALS)));
}

/** The text a numeric field shows for the stored value. */
export function fieldText(field: NumericPreference, prefs: PreferencesView): string {
  return field === 'idleTimeoutMs' ? msToMinutesText(prefs.idleTimeoutMs) : String(prefs[field]);
}

/**
 * Reads a numeric field's text. The idle timeout is typed in minutes (decimals allowed) and
 * sent in ms; the other fields must be whole numbers. Range checks are the host's: it names
 * the allowed range in its refusal, and one rule must not live in two places.
 */
export function parseField(field: NumericPreference, text: string): ParsedField {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, message: 'Enter a number.' };
  const value = Number(trimmed);
  if (!Number.isFinite(value)) return { ok: false, message: `"${trimmed}" is not a number.` };
  if (field === 'idleTimeoutMs') return { ok: true, value: Math.round(value * MS_PER_MINUTE) };
  if (!Number.isInteger(value)) return { ok: false, message: 'Enter a whole number.' };
  return { ok: true, value };
}

/**
 * The field a host error names, e.g. `Invalid preference "idleTimeoutMs": …` or a zod issue
 * path `patch.webhookPort: …`; `undefined` when it names none.
 */
export function fieldOfError(message: string): PreferenceField | undefined {
  let best: { field: PreferenceField; at: number } | undefined;
  for (const field of PREFERENCE_FIELDS) {
    const at = message.search(new RegExp(`(?<![A-Za-z0-9_])${field}(?![A-Za-z0-9_])`));
    if (at >= 0 && (best === undefined || at < best.at)) best = { field, at };
  }
  return best?.field;
}

/**
 * Where to show a refusal of a patch of `field`: next to the field the message names when
 * that is a field of this form, else next to `field` (the one just edited).
 */
export function errorTarget(field: PreferenceField, message: string, formFields: readonly PreferenceField[]): PreferenceField {
  const named = fieldOfError(message);
  return named !== undefined && formFields.includes(named) ? named : field;
}
