// Link out: one external link per task, kept in task-scoped plugin state.
import { definePlugin, runWorker } from '@plinth/sdk';

/** Longest link kept (a browser's practical URL limit). */
const MAX_URL_LENGTH = 2048;

const keyOf = (taskId) => ({ scopeKind: 'task', scopeId: taskId, stateKey: 'link' });

function taskIdOf(params) {
  if (typeof params?.taskId !== 'string' || params.taskId === '') {
    throw Object.assign(new Error('taskId is required'), { code: 'INVALID_INPUT' });
  }
  return params.taskId;
}

function checkUrl(value) {
  let url;
  try {
    url = new URL(String(value));
  } catch {
    throw Object.assign(new Error(`"${value}" is not a link: write it as https://…`), { code: 'INVALID_INPUT' });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw Object.assign(new Error('Only http and https links can be kept'), { code: 'INVALID_INPUT' });
  }
  if (url.href.length > MAX_URL_LENGTH) throw Object.assign(new Error(`A link may have at most ${MAX_URL_LENGTH} characters`), { code: 'INVALID_INPUT' });
  return url.href;
}

const plugin = definePlugin({
  async setup(ctx) {
    // { taskId } → { url: string | null }
    ctx.data.register('link', async (params) => ({ url: (await ctx.state.get(keyOf(taskIdOf(params)))) ?? null }));
    // { taskId, url } → { url }; an empty url removes the link
    ctx.actions.register('setLink', async (params) => {
      const key = keyOf(taskIdOf(params));
      if (params.url === '' || params.url === null) {
        await ctx.state.delete(key);
        return { url: null };
      }
      const url = checkUrl(params.url);
      await ctx.state.set(key, url);
      return { url };
    });
  },
});

export default plugin;
runWorker(plugin, import.meta.url);
