/**
 * The calls `plinth-plugin run` makes against the real host core, one per kind of thing a
 * plugin registers. Each resolves with the JSON to print, or rejects with a `PlinthError`
 * whose code the CLI reports.
 */
import { randomUUID } from 'node:crypto';
import { qualifyToolName } from '@plinth/host/services/tools/tool-names';
import type { EventEnvelope } from '../../protocol/entities.ts';
import { PlinthError } from '../../protocol/errors.ts';
import type { Json } from '../../protocol/json.ts';
import type { PluginManifest } from '../../protocol/manifest.ts';
import { buildEventEnvelope } from '../../testing/harness-events.ts';
import type { DevHost } from '../dev-host.ts';
import type { RunCall } from './run-request.ts';

/** How often an event run looks at the delivery counters (ms): deliveries take a few ms each. */
const EVENT_POLL_MS = 10;

/** Makes `call` on the enabled plugin of `dev`; resolves with what `run` prints. */
export async function performCall(dev: DevHost, manifest: PluginManifest, call: RunCall, timeoutMs: number): Promise<Json> {
  const { host, pluginId } = dev;
  switch (call.kind) {
    case 'data': return host.ui.data(pluginId, call.key, call.params);
    case 'action': return host.ui.action(pluginId, call.key, call.params);
    case 'tool': {
      if (!(manifest.plinth.tools ?? []).some((tool) => tool.name === call.key)) {
        throw new PlinthError('NOT_FOUND', `Tool "${call.key}" is not declared in plinth.tools; declare it there and register it with ctx.tools.register("${call.key}", ...)`);
      }
      return await host.services.tools.call(qualifyToolName(pluginId, call.key), call.params, { agent: 'plinth-plugin run' }) as unknown as Json;
    }
    case 'job': {
      const run = await host.ops.runJobNow(pluginId, call.key);
      if (run.status === 'failed') throw new PlinthError('PLUGIN_ERROR', `Job "${call.key}" failed: ${run.error ?? 'no message'}`, run as unknown as Json);
      return run as unknown as Json;
    }
    case 'health': return await host.catalog.callWorker(pluginId, 'health') as unknown as Json;
    case 'webhook': return sendWebhook(dev, call);
    case 'event': return publishEvent(dev, call.name, call.payload, timeoutMs);
  }
}

async function sendWebhook(dev: DevHost, call: Extract<RunCall, { kind: 'webhook' }>): Promise<Json> {
  await dev.host.services.webhooks.start();
  const declared = dev.host.catalog.record(dev.pluginId).manifest?.plinth.webhooks?.some((w) => w.endpointKey === call.key);
  if (!declared) throw new PlinthError('NOT_FOUND', `Webhook "${call.key}" is not declared in plinth.webhooks`);
  const url = dev.host.services.webhooks.urlFor(dev.pluginId, call.key);
  if (!url) throw new PlinthError('NOT_READY', `The webhook server is not listening for "${call.key}"`);
  const response = await fetch(url, {
    method: call.method, headers: call.headers,
    ...(call.body !== undefined && call.method !== 'GET' && call.method !== 'HEAD' ? { body: call.body } : {}),
  });
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => { headers[name] = value; });
  const result = { status: response.status, headers, body: await response.text() };
  // 5xx are the host's answers for a plugin that failed (502) or could not take the request (503).
  if (response.status >= 500) throw new PlinthError('PLUGIN_ERROR', `The webhook answered ${response.status}: ${result.body}`, result);
  return result;
}

/**
 * Publishes `name` and waits until every subscription of the plugin that matched it has
 * handled it. The worker is started first, so the subscriptions its `setup` makes exist.
 * @throws PlinthError `NOT_FOUND` when no subscription of the plugin matches the event;
 *   `PLUGIN_ERROR` when a handler threw; `TIMEOUT` after `timeoutMs`
 */
async function publishEvent(dev: DevHost, name: string, payload: Json, timeoutMs: number): Promise<Json> {
  const { host, pluginId } = dev;
  await host.catalog.callWorker(pluginId, 'health');
  const event: EventEnvelope = buildEventEnvelope(randomUUID(), name, payload, {});
  const before = host.services.bus.stats(pluginId);
  host.services.publish(event);
  const after = host.services.bus.stats(pluginId);
  const matched = after.queued - before.queued + (after.dropped - before.dropped);
  if (matched === 0) {
    throw new PlinthError('NOT_FOUND', `No subscription of ${pluginId} matches "${name}": subscribe in setup with ctx.events.on("${name}", ...) (core events also need the entity's read capability)`);
  }
  const done = before.delivered + before.failed + matched;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const now = host.services.bus.stats(pluginId);
    if (now.delivered + now.failed >= done) {
      if (now.failed > before.failed) throw new PlinthError('PLUGIN_ERROR', `The plugin's handler for "${name}" failed (its error is in the log above)`);
      return { event: event as unknown as Json, deliveredTo: matched };
    }
    if (Date.now() > deadline) throw new PlinthError('TIMEOUT', `The plugin did not handle "${name}" within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, EVENT_POLL_MS));
  }
}
