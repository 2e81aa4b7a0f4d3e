/**
 * What the workspace shell (main window) asks of the host beyond the everyday operations: one
 * project or task by id, filtered task lists, every UI contribution of the enabled plugins
 * (slots of all thirteen types and launchers) and the user's dashboard layout.
 */
import type {
  DashboardLayout, LauncherContribution, SlotContribution, UiContributions, WorkspaceTaskQuery,
} from '../../preload/api.ts';
import { SLOT_CAPABILITY } from '@plinth/sdk/protocol/capabilities';
import type { Project, Task } from '@plinth/sdk/protocol/entities';
import { PlinthError } from '@plinth/sdk/protocol/errors';
import type { Catalog } from './plugin-catalog.ts';
import type { HostServices } from './host-services.ts';

/** Tasks one filtered list returns: enough for a board, bounded so a huge project cannot stall the window. */
export const MAX_LISTED_TASKS = 500;
/** Widgets one dashboard layout may name (20 plugins × a few widgets, with room). */
export const MAX_DASHBOARD_ENTRIES = 200;

/** Where the layout is kept: a small JSON store in the profile, so it survives restarts. */
export interface DashboardLayoutStore {
  get(): DashboardLayout | null;
  set(layout: DashboardLayout): void;
}

/** What the shell operations need. */
export interface ShellOpsDeps {
  catalog: Catalog;
  services(): HostServices;
  layoutStore: DashboardLayoutStore;
}

/** `/plugins/<id>/<relative path>`: a plugin file as the app protocol serves it. */
function pluginUrl(pluginId: string, relative: string): string {
  return `/plugins/${encodeURIComponent(pluginId)}/${relative.replace(/^\.\//, '')}`;
}

/** Orders contributions by `order` (absent = 0), then by their own name, then plugin name (CONTRACT §8 "order"). */
function byOrder<T extends { pluginDisplayName: string; order?: number | undefined; name: string }>(a: T, b: T): number {
  return (a.order ?? 0) - (b.order ?? 0) || a.name.localeCompare(b.name) || a.pluginDisplayName.localeCompare(b.pluginDisplayName);
}

/** Creates the shell operations. */
export function createShellOps(deps: ShellOpsDeps) {
  const { catalog } = deps;

  function contributions(): UiContributions {
    const slots: SlotContribution[] = [];
    const launchers: LauncherContribution[] = [];
    for (const r of catalog.plugins.values()) {
      const ui = r.manifest?.plinth.ui;
      if (!ui || !catalog.isReady(r.id)) continue;
      // Checked against the approved set, so a grown manifest cannot add UI before consent.
      const granted = catalog.granted(r);
      const moduleUrl = pluginUrl(r.id, ui.entry);
      const icon = r.manifest?.plinth.icon;
      const base = { pluginId: r.id, pluginDisplayName: r.displayName, moduleUrl, ...(icon ? { pluginIcon: pluginUrl(r.id, icon) } : {}) };
      for (const slot of ui.slots ?? []) {
        if (granted.includes(SLOT_CAPABILITY[slot.type])) slots.push({ ...base, slot });
      }
      for (const launcher of ui.launchers ?? []) {
        if (granted.includes('ui.action.register')) launchers.push({ ...base, launcher });
      }
    }
    slots.sort((a, b) => byOrder({ ...a, order: a.slot.order, name: a.slot.displayName }, { ...b, order: b.slot.order, name: b.slot.displayName }));
    launchers.sort((a, b) => byOrder({ ...a, name: a.launcher.displayName }, { ...b, name: b.launcher.displayName }));
    return { slots, launchers };
  }

  return {
    listContributions: contributions,
    getProject(projectId: string): Project {
      const project = deps.services().workspace.projects.get(projectId);
      if (!project) throw new PlinthError('NOT_FOUND', `No project with id "${projectId}": it may have been deleted`);
      return project;
    },
    getTask(taskId: string): Task {
      const task = deps.services().workspace.tasks.get(taskId);
      if (!task) throw new PlinthError('NOT_FOUND', `No task with id "${taskId}": it may have been deleted`);
      return task;
    },
    /** Tasks matching the query, oldest first, at most {@link MAX_LISTED_TASKS}. */
    listTasks(query: WorkspaceTaskQuery): Task[] {
      const { tasks } = deps.services().workspace;
      const out: Task[] = [];
      let cursor: string | undefined;
      do {
        const page = tasks.list({ ...query, limit: 500, ...(cursor ? { cursor } : {}) });
        out.push(...page.items);
        cursor = page.nextCursor ?? undefined;
      } while (cursor && out.length < MAX_LISTED_TASKS);
      return out.slice(0, MAX_LISTED_TASKS);
    },
    getDashboardLayout(): DashboardLayout | null {
      return deps.layoutStore.get();
    },
    setDashboardLayout(layout: DashboardLayout): DashboardLayout {
      if (layout.entries.length > MAX_DASHBOARD_ENTRIES) {
        throw new PlinthError('INVALID_INPUT', `dashboard.setLayout: at most ${MAX_DASHBOARD_ENTRIES} widgets`);
      }
      deps.layoutStore.set(layout);
      return layout;
    },
  };
}

/** The shell operations. */
export type ShellOps = ReturnType<typeof createShellOps>;
