// Word count: statistics of one comment, read through ctx.comments.
import { definePlugin, runWorker } from '@plinth/sdk';

/** Average silent reading speed (words per minute; Brysbaert 2019, non-fiction). */
const WORDS_PER_MINUTE = 238;

/** Words, characters and reading time (seconds, rounded up) of a text. */
export function statsOf(text) {
  const words = text.trim() === '' ? 0 : text.trim().split(/\s+/u).length;
  return { words, characters: [...text].length, readingSeconds: Math.ceil((words / WORDS_PER_MINUTE) * 60) };
}

async function findComment(ctx, taskId, commentId) {
  let cursor;
  do {
    const page = await ctx.comments.list({ taskId, limit: 500, ...(cursor ? { cursor } : {}) });
    const found = page.items.find((c) => c.id === commentId);
    if (found) return found;
    cursor = page.nextCursor;
  } while (cursor);
  throw Object.assign(new Error(`No comment ${commentId} on task ${taskId}: it may have been deleted`), { code: 'NOT_FOUND' });
}

const plugin = definePlugin({
  async setup(ctx) {
    // { taskId, commentId } → { words, characters, readingSeconds }
    ctx.data.register('stats', async (params) => {
      if (typeof params?.taskId !== 'string' || typeof params?.commentId !== 'string') {
        throw Object.assign(new Error('taskId and commentId are required'), { code: 'INVALID_INPUT' });
      }
      return statsOf((await findComment(ctx, params.taskId, params.commentId)).body);
    });
  },
});

export default plugin;
runWorker(plugin, import.meta.url);
