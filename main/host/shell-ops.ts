/**
 * What the workspace shell (main window) asks of the host beyond the everyday operations: one
 * project or task by id, filtered task lists and the user's dashboard layout. (The UI
 * contributions the shell mounts are views: main/shell/plugin-views.ts.)
 */
import type { PageQuery, Project, Task, TaskQuery } from '@plinth/sdk/protocol/entities';
import { PlinthError } from '@plinth/sdk/protocol/errors';
import { MAX_DASHBOARD_ENTRIES } from '@plinth/sdk/protocol/limits';
import type { HostServices } from './host-services.ts';

/** Tasks one filtered list returns: enough for a board, bounded so a huge project cannot stall the window. */
export const MAX_LISTED_TASKS = 500;

/**
 * The dashboard as the user arranged it: the widgets shown, in order (`<pluginId>/<slotId>`),
 * and the ones the user removed (the shell's `DashboardLayout`).
 */
export interface DashboardLayout { entries: string[]; hidden: string[] }

/** Filters of a task list; they combine with AND. */
export type TaskFilter = Omit<TaskQuery, keyof PageQuery>;

/** Where the layout is kept: a small JSON store in the profile, so it survives restarts. */
export interface DashboardLayoutStore {
  get(): DashboardLayout | null;
  set(layout: DashboardLayout): void;
}

/** What the shell operations need. */
export interface ShellOpsDeps {
  services: HostServices;
  layoutStore: DashboardLayoutStore;
}

/** Creates the shell operations. */
export function createShellOps(deps: ShellOpsDeps) {
  return {
    getProject(projectId: string): Project {
      const project = deps.services.workspace.projects.get(projectId);
      if (!project) throw new PlinthError('NOT_FOUND', `No project with id "${projectId}": it may have been deleted`);
      return project;
    },
    getTask(taskId: string): Task {
      const task = deps.services.workspace.tasks.get(taskId);
      if (!task) throw new PlinthError('NOT_FOUND', `No task with id "${taskId}": it may have been deleted`);
      return task;
    },
    /** Tasks matching the query, oldest first, at most {@link MAX_LISTED_TASKS}. */
    listTasks(query: TaskFilter): Task[] {
      const { tasks } = deps.services.workspace;
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
