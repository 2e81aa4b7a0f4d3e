/**
 * Display formatting shared by the settings and workspace views. Pure (no DOM), so the unit
 * tests import it directly. Every formatter shows {@link MISSING} for an absent value.
 */

/** What a cell shows when the host has no value (e.g. no pid while the worker is stopped). */
export const MISSING = '—';

const MINUTE_S = 60;
const HOUR_S = 60 * MINUTE_S;
const DAY_S = 24 * HOUR_S;

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** The message of anything thrown, for an inline error. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : JSON.stringify(error) ?? String(error);
}

/**
 * A duration in whole seconds as the two largest units: `"42 s"`, `"3 min 05 s"`, `"2 h 07 min"`,
 * `"3 d 4 h"`. Negative or non-finite input shows {@link MISSING}.
 */
export function formatUptime(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return MISSING;
  const s = Math.floor(seconds);
  if (s < MINUTE_S) return `${s} s`;
  if (s < HOUR_S) return `${Math.floor(s / MINUTE_S)} min ${pad2(s % MINUTE_S)} s`;
  if (s < DAY_S) return `${Math.floor(s / HOUR_S)} h ${pad2(Math.floor((s % HOUR_S) / MINUTE_S))} min`;
  return `${Math.floor(s / DAY_S)} d ${Math.floor((s % DAY_S) / HOUR_S)} h`;
}

/** A number with `digits` decimals and thousands separators of the user's locale. */
export function formatNumber(value: number | undefined, digits = 0, locale?: string): string {
  if (value === undefined || !Number.isFinite(value)) return MISSING;
  return value.toLocaleString(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** A duration in ms: one decimal below 10 ms (sub-ms latencies matter), whole ms above. */
export function formatMs(ms: number | undefined, locale?: string): string {
  if (ms === undefined || !Number.isFinite(ms)) return MISSING;
  return `${formatNumber(ms, ms < 10 ? 1 : 0, locale)} ms`;
}

/** A wall-clock time of day in local time with ms, `HH:MM:SS.mmm`, as log viewers show it. */
export function formatClock(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const ms = String(date.getMilliseconds()).padStart(3, '0');
  return `${pad2(date.getHours())}:${pad2(date.getMinutes())}:${pad2(date.getSeconds())}.${ms}`;
}

/** Like {@link formatDateTime} with a short date, for narrow table columns. */
export function formatShortDateTime(iso: string | null | undefined, locale?: string): string {
  if (!iso) return MISSING;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(locale, { dateStyle: 'short', timeStyle: 'medium' });
}

/**
 * The two halves of {@link formatShortDateTime}, the short date and the time of day, for a
 * cell that may put them on two lines; `undefined` for `null` and junk.
 */
export function shortDateTimeParts(iso: string | null | undefined, locale?: string): { date: string; time: string } | undefined {
  if (!iso) return undefined;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return undefined;
  return { date: date.toLocaleDateString(locale, { dateStyle: 'short' }), time: date.toLocaleTimeString(locale, { timeStyle: 'medium' }) };
}

/** A date and time in local time and the user's locale; `null` shows {@link MISSING}; junk is shown as given. */
export function formatDateTime(iso: string | null | undefined, locale?: string): string {
  if (!iso) return MISSING;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'medium' });
}
