// The Heartbeat plugin's worker: plain ES module, no build step. `@plinth/sdk` is provided by the host.
// The job `beat` (every five minutes, see package.json) records when it last ran; data `last` serves it.
import { definePlugin, runWorker } from '@plinth/sdk';

/** Where the last heartbeat is kept: one value for the whole app. */
const LAST_BEAT = { scopeKind: 'instance', stateKey: 'last-beat' };

const plugin = definePlugin({
  async setup(ctx) {
    ctx.jobs.register('beat', async (job) => {
      // `at` is when the beat ran; `scheduledAt` when the schedule (or "Run now") asked for it.
      const beat = { at: new Date().toISOString(), runId: job.runId, trigger: job.trigger, scheduledAt: job.scheduledAt };
      await ctx.state.set(LAST_BEAT, beat);
      ctx.logger.debug('heartbeat', beat);
    });

    // `null` until the first beat: a fresh install has none for up to five minutes.
    ctx.data.register('last', async () => ctx.state.get(LAST_BEAT));
  },
});

export default plugin;
runWorker(plugin, import.meta.url);
