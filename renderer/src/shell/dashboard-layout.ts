/**
 * The dashboard arrangement rules, pure (unit-tested in Node): which widgets show, in which
 * order. A widget the user never placed or removed is on by default (appended in the host's
 * order); a removed one stays off until added again; an entry whose plugin is gone is skipped
 * but kept, so the widget comes back in its place when the plugin is enabled again.
 */
import type { DashboardLayout } from '../../../preload/api.ts';

/** The layout before the user arranges anything. */
export const EMPTY_LAYOUT: DashboardLayout = { entries: [], hidden: [] };

/** The widget keys to show, in order, from the available ones (host order). */
export function arrangeWidgets(available: readonly string[], layout: DashboardLayout): string[] {
  const present = new Set(available);
  const placed = layout.entries.filter((k) => present.has(k));
  const seen = new Set([...layout.entries, ...layout.hidden]);
  return [...placed, ...available.filter((k) => !seen.has(k))];
}

/** Widgets the user can add back: available but hidden. */
export function hiddenWidgets(available: readonly string[], layout: DashboardLayout): string[] {
  const hidden = new Set(layout.hidden);
  return available.filter((k) => hidden.has(k));
}

/** The layout with exactly `shown` in order (keys no longer available keep their place at the end). */
function withShown(shown: readonly string[], layout: DashboardLayout, hidden: readonly string[]): DashboardLayout {
  const absent = layout.entries.filter((k) => !shown.includes(k) && !hidden.includes(k));
  return { entries: [...shown, ...absent], hidden: [...new Set(hidden)] };
}

/** Removes a widget from the dashboard. */
export function removeWidget(available: readonly string[], layout: DashboardLayout, key: string): DashboardLayout {
  const shown = arrangeWidgets(available, layout).filter((k) => k !== key);
  return withShown(shown, layout, [...layout.hidden.filter((k) => k !== key), key]);
}

/** Adds a removed widget back, at the end. */
export function addWidget(available: readonly string[], layout: DashboardLayout, key: string): DashboardLayout {
  const shown = [...arrangeWidgets(available, layout).filter((k) => k !== key), key];
  return withShown(shown, layout, layout.hidden.filter((k) => k !== key));
}

/** Moves a shown widget to `index` (clamped) among the shown ones. */
export function moveWidget(available: readonly string[], layout: DashboardLayout, key: string, index: number): DashboardLayout {
  const shown = arrangeWidgets(available, layout).filter((k) => k !== key);
  if (shown.length === arrangeWidgets(available, layout).length) return layout; // not shown: nothing to move
  shown.splice(Math.min(Math.max(index, 0), shown.length), 0, key);
  return withShown(shown, layout, layout.hidden);
}
