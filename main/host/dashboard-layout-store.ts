/**
 * The user's dashboard arrangement, kept in `dashboard.json` in the profile folder (a `conf`
 * store like the preferences), so it survives restarts. A damaged or hand-edited file is read
 * as "not arranged yet": the dashboard falls back to every widget in `order`, nothing is lost
 * but the arrangement.
 */
import Conf from 'conf';
import type { DashboardLayout, DashboardLayoutStore } from './shell-ops.ts';

/** Name of the layout file in the profile folder (without `.json`). */
export const DASHBOARD_FILE_NAME = 'dashboard';

function isKeyList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

/** Creates the layout store in `userDataDir`. */
export function createConfDashboardStore(userDataDir: string): DashboardLayoutStore {
  let conf: Conf<{ layout?: DashboardLayout }> | undefined;
  const store = () => (conf ??= new Conf<{ layout?: DashboardLayout }>({ cwd: userDataDir, configName: DASHBOARD_FILE_NAME, clearInvalidConfig: true }));
  return {
    get() {
      let layout: unknown;
      try {
        layout = store().get('layout');
      } catch {
        return null; // unreadable file: treat as never arranged
      }
      const l = layout as Partial<DashboardLayout> | undefined;
      return l && isKeyList(l.entries) && isKeyList(l.hidden) ? { entries: l.entries, hidden: l.hidden } : null;
    },
    set(layout) {
      store().set('layout', { entries: [...layout.entries], hidden: [...layout.hidden] });
    },
  };
}
