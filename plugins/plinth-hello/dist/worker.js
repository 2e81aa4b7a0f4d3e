// The Hello plugin's worker: plain ES module, no build step. `@plinth/sdk` is provided by the host.
import { definePlugin, runWorker } from '@plinth/sdk';

const COUNTER = { scopeKind: 'instance', stateKey: 'count' };

const plugin = definePlugin({
  async setup(ctx) {
    ctx.data.register('greeting', async () => {
      const count = (await ctx.state.get(COUNTER)) ?? 0;
      return { message: `Hello from the ${ctx.pluginId} worker`, count };
    });
    ctx.actions.register('increment', async () => {
      const count = ((await ctx.state.get(COUNTER)) ?? 0) + 1;
      await ctx.state.set(COUNTER, count);
      ctx.logger.info('counter incremented', { count });
      return { count };
    });
  },
  async onHealth() {
    return { status: 'ok', message: 'ready' };
  },
});

export default plugin;
runWorker(plugin, import.meta.url);
