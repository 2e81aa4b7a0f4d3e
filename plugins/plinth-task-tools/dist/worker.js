// The Task tools plugin's worker: plain ES module, no build step. `@plinth/sdk` is provided by the host.
// Agents call these tools through Plinth's MCP server as plinth-task-tools__count-tasks and
// plinth-task-tools__create-task; the host has checked the params against parametersSchema.
import { definePlugin, runWorker } from '@plinth/sdk';

/** Statuses in the order they are reported, with the words used in the text answer. */
const STATUSES = [['todo', 'todo'], ['in_progress', 'in progress'], ['done', 'done'], ['cancelled', 'cancelled']];
/** The largest page `tasks.list` gives: fewest round trips when counting. */
const PAGE_LIMIT = 500;
/** Workspace refusals an agent can fix by changing its arguments: answered as tool errors it can read. */
const AGENT_ERRORS = new Set(['INVALID_INPUT', 'NOT_FOUND']);

const plugin = definePlugin({
  async setup(ctx) {
    ctx.tools.register('count-tasks', async ({ projectId }) => {
      const counts = Object.fromEntries(STATUSES.map(([status]) => [status, 0]));
      let cursor;
      do {
        const page = await ctx.tasks.list({ limit: PAGE_LIMIT, ...(projectId ? { projectId } : {}), ...(cursor ? { cursor } : {}) });
        for (const task of page.items) counts[task.status] += 1;
        cursor = page.nextCursor;
      } while (cursor);
      const total = STATUSES.reduce((sum, [status]) => sum + counts[status], 0);
      return {
        content: STATUSES.map(([status, words]) => `${counts[status]} ${words}`).join(', '),
        data: { ...counts, total, ...(projectId ? { projectId } : {}) },
      };
    });

    ctx.tools.register('create-task', async ({ projectId, title, priority }) => {
      try {
        const task = await ctx.tasks.create({ projectId, title, ...(priority ? { priority } : {}) });
        return { content: `Created task "${task.title}" (${task.id}) with priority ${task.priority}`, data: task };
      } catch (error) {
        if (AGENT_ERRORS.has(error?.code)) return { content: error.message, isError: true };
        throw error;
      }
    });
  },
});

export default plugin;
runWorker(plugin, import.meta.url);
