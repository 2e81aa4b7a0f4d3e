/**
 * Everyday operations behind the settings and main windows: logs, preferences, activity, running
 * a job now, the MCP server, the workspace (overview and the user's own changes). The shell's
 * views of them are built in main/shell/plugin-views.ts.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PlinthError } from '@plinth/sdk/protocol/errors';
import type { Comment, Project, ProjectInput, Task, TaskInput } from '@plinth/sdk/protocol/entities';
import type { Catalog } from './plugin-catalog.ts';
import type { HostServices } from './host-services.ts';
import type { LogStore } from './logs.ts';
import type { RateLimits } from './rate-limits.ts';
import type { Preferences, PreferencesStore } from './preferences.ts';
import { createMcpServer, type PlinthMcpServer } from './services/tools/mcp-server.ts';
import { MAX_PAGE_LIMIT, type TaskPatch, type WorkspaceActor } from './services/workspace/index.ts';
import type { Supervisor } from './supervisor.ts';

/** Tasks shown per project in the main window's workspace view. */
const OVERVIEW_TASKS_PER_PROJECT = 50;
/** Projects shown in the workspace view. */
const OVERVIEW_PROJECTS = 100;
/** Comments shown per task in the workspace view: a long thread shows its newest ones. */
const TASK_COMMENTS_SHOWN = 200;
/** Who the main window's changes are made by: the user, so they are evented but not in the activity log. */
const USER: WorkspaceActor = { user: true };

/** What the operations need. */
export interface OpsDeps {
  userDataDir: string;
  catalog: Catalog;
  services: HostServices;
  supervisor: Supervisor;
  logs: LogStore;
  rateLimits: RateLimits;
  preferences: PreferencesStore;
}

/** Reads the MCP bearer token, creating a random one (256 bits, file mode 0600) on first use. */
function mcpToken(userDataDir: string): string {
  const file = join(userDataDir, 'mcp-token');
  if (existsSync(file)) {
    const token = readFileSync(file, 'utf8').trim();
    if (token.length >= 32) return token;
  }
  const token = randomBytes(32).toString('base64url');
  writeFileSync(file, token, { mode: 0o600 });
  chmodSync(file, 0o600);
  return token;
}

/** Creates the operations. */
export function createHostOps(deps: OpsDeps) {
  let mcp: { server: PlinthMcpServer; url: string; token: string } | undefined;

  async function startMcp(): Promise<void> {
    if (mcp) return;
    const token = mcpToken(deps.userDataDir);
    const port = deps.preferences.get().mcpPort;
    const server = createMcpServer({ registry: deps.services.tools, token, ...(port ? { port } : {}) });
    const { url } = await server.start();
    mcp = { server, url, token };
  }

  async function stopMcp(): Promise<void> {
    const current = mcp;
    mcp = undefined;
    await current?.server.stop();
  }

  return {
    /** Starts what preferences ask for at start-up (the MCP server when enabled). */
    async start(): Promise<void> {
      if (deps.preferences.get().mcpEnabled) {
        await startMcp().catch((error: Error) =>
          deps.logs.append('host', { level: 'error', source: 'host', message: `MCP server not started: ${error.message}` }));
      }
    },
    stop: stopMcp,
    logs(pluginId: string, afterSeq?: number) {
      deps.catalog.record(pluginId);
      return deps.logs.lines(pluginId, afterSeq);
    },
    getPreferences(): Preferences {
      return deps.preferences.get();
    },
    async setPreferences(patch: Partial<Preferences>): Promise<Preferences> {
      const next = deps.preferences.set(patch);
      if ('mcpEnabled' in patch || 'mcpPort' in patch) {
        await stopMcp();
        if (next.mcpEnabled) await startMcp();
      }
      return next;
    },
    listActivity(query: { pluginId?: string; limit?: number; cursor?: string }) {
      return deps.services.workspace.activity.list(query);
    },
    async runJobNow(pluginId: string, jobKey: string) {
      if (!deps.catalog.isReady(pluginId)) throw new PlinthError('NOT_READY', `Enable "${deps.catalog.record(pluginId).displayName}" to run its jobs`);
      const { pluginId: _p, jobKey: _j, ...run } = await deps.services.jobs.runNow(pluginId, jobKey);
      return run;
    },
    /** Retries the failed job run `runId` (trigger `retry`) as the job scheduler's `retry` does. @throws PlinthError `NOT_READY` when the plugin is not running; the scheduler's errors. */
    async retryJobRun(pluginId: string, runId: string) {
      if (!deps.catalog.isReady(pluginId)) throw new PlinthError('NOT_READY', `Enable "${deps.catalog.record(pluginId).displayName}" to retry its jobs`);
      const { pluginId: _p, jobKey: _j, ...run } = await deps.services.jobs.retry(pluginId, runId);
      return run;
    },
    /** The MCP server's address and bearer token while it runs. */
    mcpServer(): { url: string; token: string } | undefined {
      return mcp ? { url: mcp.url, token: mcp.token } : undefined;
    },
    async setMcpEnabled(enabled: boolean): Promise<void> {
      deps.preferences.set({ mcpEnabled: enabled });
      if (enabled) await startMcp();
      else await stopMcp();
    },
    workspaceOverview(): { projects: Array<Project & { tasks: Task[] }> } {
      const { workspace } = deps.services;
      const projects = workspace.projects.list({ limit: OVERVIEW_PROJECTS }).items;
      return {
        projects: projects.map((p) => ({ ...p, tasks: workspace.tasks.list({ projectId: p.id, limit: OVERVIEW_TASKS_PER_PROJECT }).items })),
      };
    },
    // The user's changes from the Workspace view; the service validates and publishes core events.
    createProject: (input: ProjectInput): Project => deps.services.workspace.projects.create(USER, input),
    updateProject: (projectId: string, patch: Partial<ProjectInput>): Project => deps.services.workspace.projects.update(USER, projectId, patch),
    deleteProject: (projectId: string): void => deps.services.workspace.projects.delete(USER, projectId),
    createTask: (input: TaskInput): Task => deps.services.workspace.tasks.create(USER, input),
    updateTask: (taskId: string, patch: TaskPatch): Task => deps.services.workspace.tasks.update(USER, taskId, patch),
    deleteTask: (taskId: string): void => deps.services.workspace.tasks.delete(USER, taskId),
    addComment: (taskId: string, body: string): Comment => deps.services.workspace.comments.create(USER, { taskId, body }),
    deleteComment: (commentId: string): void => deps.services.workspace.comments.delete(USER, commentId),
    /** The thread of one task, oldest first, cut to its newest {@link TASK_COMMENTS_SHOWN}. */
    listComments(taskId: string): Comment[] {
      const { tasks, comments } = deps.services.workspace;
      if (!tasks.get(taskId)) throw new PlinthError('NOT_FOUND', `comments.list: no task with id "${taskId}"`);
      let page = comments.list({ taskId, limit: MAX_PAGE_LIMIT });
      const thread = [...page.items];
      while (page.nextCursor) {
        page = comments.list({ taskId, limit: MAX_PAGE_LIMIT, cursor: page.nextCursor });
        thread.push(...page.items);
        if (thread.length > TASK_COMMENTS_SHOWN) thread.splice(0, thread.length - TASK_COMMENTS_SHOWN);
      }
      return thread.slice(-TASK_COMMENTS_SHOWN);
    },
  };
}

/** The operations, as the shell and tests see them. */
export type HostOps = ReturnType<typeof createHostOps>;
