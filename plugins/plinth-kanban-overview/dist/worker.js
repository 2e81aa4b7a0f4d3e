// Kanban overview: counts tasks by status, for the whole workspace and per project.
import { definePlugin, runWorker } from '@plinth/sdk';

const STATUSES = ['todo', 'in_progress', 'done', 'cancelled'];
/** Largest page the workspace serves (CONTRACT §5 lists page through `cursor`). */
const PAGE = 500;

async function all(list, query) {
  const items = [];
  let cursor;
  do {
    const page = await list({ ...query, limit: PAGE, ...(cursor ? { cursor } : {}) });
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

function count(tasks) {
  const counts = Object.fromEntries(STATUSES.map((s) => [s, 0]));
  for (const task of tasks) counts[task.status] += 1;
  return counts;
}

const plugin = definePlugin({
  async setup(ctx) {
    // { projectId? } → { todo, in_progress, done, cancelled, total }
    ctx.data.register('counts', async (params) => {
      const projectId = typeof params?.projectId === 'string' ? params.projectId : undefined;
      const tasks = await all((q) => ctx.tasks.list(q), projectId ? { projectId } : {});
      return { ...count(tasks), total: tasks.length };
    });
    // → [{ id, name, counts }] for every project, in creation order
    ctx.data.register('board', async () => {
      const projects = await all((q) => ctx.projects.list(q), {});
      const tasks = await all((q) => ctx.tasks.list(q), {});
      return projects.map((p) => ({ id: p.id, name: p.name, counts: count(tasks.filter((t) => t.projectId === p.id)) }));
    });
  },
});

export default plugin;
runWorker(plugin, import.meta.url);
