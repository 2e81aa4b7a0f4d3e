// UI tour: the little data the tour's components show, and one action for a launcher.
import { definePlugin, runWorker } from '@plinth/sdk';

const GREETING = { scopeKind: 'instance', stateKey: 'greeting' };
/** Longest greeting kept. */
const MAX_GREETING = 200;

/** Stream channel of task changes, `{ projectId }` per change, so the open counts on screen refetch. */
const TASK_CHANGES = 'task-changes';

const invalid = (message) => Object.assign(new Error(message), { code: 'INVALID_INPUT' });

const plugin = definePlugin({
  async setup(ctx) {
    /** Opened once a count is asked for: from then on the counts are live (and the open channel keeps this worker running). */
    let changes;
    ctx.events.on('task.*', async (event) => {
      if (changes) await changes.then(() => ctx.streams.emit(TASK_CHANGES, { projectId: event.projectId ?? null }));
    });
    // { projectId } → { open }: tasks of the project that are to do or in progress
    ctx.data.register('openCount', async (params) => {
      if (typeof params?.projectId !== 'string') throw invalid('projectId is required');
      // A failed open is tried again on the next count instead of failing every count and event after it.
      changes ??= ctx.streams.open(TASK_CHANGES).catch((error) => {
        changes = undefined;
        throw error;
      });
      await changes;
      let open = 0;
      let cursor;
      do {
        const page = await ctx.tasks.list({ projectId: params.projectId, status: ['todo', 'in_progress'], limit: 500, ...(cursor ? { cursor } : {}) });
        open += page.items.length;
        cursor = page.nextCursor;
      } while (cursor);
      return { open };
    });
    // The settings page: { greeting }
    ctx.data.register('settings', async () => ({ greeting: (await ctx.state.get(GREETING)) ?? 'Welcome to the tour' }));
    ctx.actions.register('saveSettings', async (params) => {
      const greeting = typeof params?.greeting === 'string' ? params.greeting.trim() : '';
      if (!greeting) throw invalid('The greeting must not be empty');
      if (greeting.length > MAX_GREETING) throw invalid(`The greeting may have at most ${MAX_GREETING} characters`);
      await ctx.state.set(GREETING, greeting);
      return { greeting };
    });
    // performAction launcher: the context of the task it was run on → { title, status }
    ctx.actions.register('markDone', async (params) => {
      if (params?.entityType !== 'task' || typeof params.entityId !== 'string') throw invalid('Run this on a task');
      const task = await ctx.tasks.update(params.entityId, { status: 'done' });
      return { title: task.title, status: task.status };
    });
  },
});

export default plugin;
runWorker(plugin, import.meta.url);
