/**
 * Event fan-out to 10 subscribing workers. Ten real plugin workers subscribe
 * to `task.created`; `task.created` envelopes (made from one real task creation, a distinct
 * entity id each) are published through the host's event path, `services.publish`, the one
 * every workspace change takes (activation check, the bus's queues and capability checks, the
 * batched RPC), and the workers timestamp each delivery. Compared with the physical floor: the
 * same envelopes sent one way over raw IPC to 10 bare forked Node children
 * (bench/fixtures/fanout-child.js). The task's SQLite write is not part of either: it is the
 * workspace's cost, not the fan-out's.
 *
 * Times are wall-clock `performance.timeOrigin + performance.now()` in each process (sub-ms,
 * comparable across processes on one machine).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { createHost, type Host } from '../main/host/host.ts';
import { createNodeLauncher } from '../main/host/workers/node-launcher.ts';
import { UNSANDBOXED_CAPABILITY } from '../sdk/protocol/capabilities.ts';
import type { EventEnvelope } from '../sdk/protocol/entities.ts';
import { createPluginRoot, writePlugin } from '../test/support/plugin-folders.ts';
import { ms, percentile, rate, report, TARGETS, type BenchOptions, UNLIMITED_RATES } from './support.ts';

const FANOUT_CHILD = join(import.meta.dirname, 'fixtures/fanout-child.js');
/** Subscribing workers. */
const SUBSCRIBERS = 10;
/** Events of the throughput run; at most the bus's per-subscriber queue (1000), so none is dropped. */
const THROUGHPUT_EVENTS = 1_000;
/** Events published per turn of the event loop in the throughput run, so deliveries interleave with publishing. */
const PUBLISH_BATCH = 50;
/** Single events of the latency run, each delivered to all subscribers before the next (fewer in quick mode). */
let LATENCY_EVENTS = 200;
const WARMUP = 20;

const now = () => performance.timeOrigin + performance.now();

/** A subscriber: records `[entityId, receivedAt]` per event; data `take` ({ count }) hands them over once `count` arrived. */
const SUBSCRIBER_WORKER = `import { definePlugin } from '@plinth/sdk';
  const now = () => performance.timeOrigin + performance.now();
  let receipts = [];
  let waiter;
  const settle = () => {
    if (!waiter || receipts.length < waiter.count) return;
    const { resolve } = waiter;
    waiter = undefined;
    resolve(receipts);
    receipts = [];
  };
  export default definePlugin({ async setup(ctx) {
    ctx.events.on('task.created', (event) => { receipts.push([event.entityId, now()]); settle(); });
    ctx.data.register('take', ({ count }) => new Promise((resolve) => { waiter = { count, resolve }; settle(); }));
  } });`;

type Receipt = [entityId: string, receivedAt: number];

interface FanoutResult {
  eventsPerSecond: number;
  latencies: number[];
  /** Raw floor only: the same bursts with each burst sent to a child as one message (as the bus batches). */
  burstEventsPerSecond?: number;
}

async function hostFanout(host: Host, ids: string[], envelope: EventEnvelope): Promise<FanoutResult> {
  const take = (count: number) => Promise.all(ids.map((id) => host.ui.data(id, 'take', { count }) as Promise<unknown> as Promise<Receipt[]>));
  const envelopes = Array.from({ length: WARMUP + LATENCY_EVENTS + THROUGHPUT_EVENTS }, (_, i): EventEnvelope =>
    ({ ...envelope, eventId: `${envelope.eventId}-${i}`, entityId: `${envelope.entityId}-${i}` }));
  const publish = (i: number) => host.services.publish(envelopes[i]!);

  const latencies: number[] = [];
  for (let i = 0; i < WARMUP + LATENCY_EVENTS; i++) {
    const taken = take(1);
    await nextTurn(); // the take requests are on their way before the clock starts
    const t0 = now();
    publish(i);
    const receipts = await taken;
    if (i >= WARMUP) for (const [[, at]] of receipts as [Receipt][]) latencies.push(at - t0);
  }

  const taken = take(THROUGHPUT_EVENTS);
  await nextTurn();
  const t0 = now();
  for (let i = 0; i < THROUGHPUT_EVENTS; i += PUBLISH_BATCH) {
    for (let j = i; j < Math.min(THROUGHPUT_EVENTS, i + PUBLISH_BATCH); j++) publish(WARMUP + LATENCY_EVENTS + j);
    await nextTurn();
  }
  const receipts = await taken;
  const end = Math.max(...receipts.map((list) => list.at(-1)![1]));
  const dropped = ids.reduce((sum, id) => sum + host.services.bus.stats(id).dropped, 0);
  if (dropped > 0) console.log(`  (warning: the bus dropped ${dropped} events)`);
  return { eventsPerSecond: (SUBSCRIBERS * THROUGHPUT_EVENTS) / ((end - t0) / 1000), latencies };
}

/** The floor: the same envelope sent one way to 10 bare children over Node IPC (JSON). */
async function rawFanout(envelope: EventEnvelope): Promise<FanoutResult> {
  const children: ChildProcess[] = [];
  for (let i = 0; i < SUBSCRIBERS; i++) {
    const child = fork(FANOUT_CHILD, [], { serialization: 'json', stdio: 'ignore' });
    children.push(child);
    await once(child, 'message');
  }
  const answers = () => Promise.all(children.map(async (child) => ((await once(child, 'message'))[0] as { t: number }).t));
  try {
    const latencies: number[] = [];
    for (let i = 0; i < WARMUP + LATENCY_EVENTS; i++) {
      const answered = answers();
      const t0 = now();
      for (const child of children) child.send({ kind: 'probe', event: envelope });
      const times = await answered;
      if (i >= WARMUP) for (const t of times) latencies.push(t - t0);
    }
    /** Deliveries/s of THROUGHPUT_EVENTS to every child, `sendBurst(count)` sending one burst of `count` events to each. */
    const throughput = async (sendBurst: (count: number) => void): Promise<number> => {
      const armed = answers();
      for (const child of children) child.send({ kind: 'expect', count: THROUGHPUT_EVENTS });
      await armed;
      const done = answers();
      const t0 = now();
      for (let i = 0; i < THROUGHPUT_EVENTS; i += PUBLISH_BATCH) {
        sendBurst(Math.min(PUBLISH_BATCH, THROUGHPUT_EVENTS - i));
        await nextTurn();
      }
      const end = Math.max(...(await done));
      return (SUBSCRIBERS * THROUGHPUT_EVENTS) / ((end - t0) / 1000);
    };
    const eventsPerSecond = await throughput((count) => {
      for (let j = 0; j < count; j++) for (const child of children) child.send({ kind: 'event', event: envelope });
    });
    const burstEventsPerSecond = await throughput((count) => {
      const events = Array.from({ length: count }, () => envelope);
      for (const child of children) child.send({ kind: 'events', events });
    });
    return { eventsPerSecond, latencies, burstEventsPerSecond };
  } finally {
    for (const child of children) child.kill();
  }
}

/** Runs the event fan-out benchmark and prints its lines. */
export async function runEventBench(options: BenchOptions): Promise<void> {
  LATENCY_EVENTS = options.quick ? 100 : 200;
  const root = createPluginRoot('plinth-bench-events-');
  const userData = mkdtempSync(join(tmpdir(), 'plinth-bench-events-profile-'));
  const ids = Array.from({ length: SUBSCRIBERS }, (_, i) => `bench-fan-${i}`);
  // Unsandboxed: the subscribers timestamp deliveries with performance.now (sub-ms), which the
  // sandbox withholds from plugins; delivery itself is the same code either way.
  for (const name of ids) writePlugin(root.dir, { name, capabilities: ['events.subscribe', 'tasks.read', UNSANDBOXED_CAPABILITY], worker: SUBSCRIBER_WORKER });
  const host = createHost({
    userDataDir: userData, bundledPluginsDir: join(root.dir, 'none'), launcher: createNodeLauncher(), appVersion: 'bench', rateLimits: UNLIMITED_RATES,
    extraPluginRoots: [{ dir: root.dir, source: 'unpacked' }],
  });
  try {
    await host.start();
    for (const id of ids) await host.management.enable(id, { approveCapabilities: true });
    await Promise.all(ids.map((id) => host.ui.data(id, 'take', { count: 0 }))); // activation, not measured
    const project = host.services.workspace.projects.create({ user: true }, { name: 'bench' });
    let envelope: EventEnvelope | undefined;
    const offProbe = host.services.bus.subscribe({
      pluginId: 'bench-probe', subscriptionId: 'size', pattern: 'task.created', canReceive: () => true,
      deliver: async (event) => { envelope ??= event; },
    });
    const delivered = Promise.all(ids.map((id) => host.ui.data(id, 'take', { count: 1 }))); // the subscribers get it too
    host.services.workspace.tasks.create({ user: true }, { projectId: project.id, title: 'bench task' });
    await delivered;
    offProbe();
    const measured = await hostFanout(host, ids, envelope!);
    const raw = await rawFanout(envelope!);

    console.log(`\nEvents (${SUBSCRIBERS} subscribing workers, task.created; ${THROUGHPUT_EVENTS} events for throughput, ${LATENCY_EVENTS} one at a time for latency)`);
    report('fan-out throughput (deliveries/s)', rate(measured.eventsPerSecond), rate(raw.eventsPerSecond),
      raw.eventsPerSecond / measured.eventsPerSecond, TARGETS.fanoutThroughput);
    report('  context: raw IPC, a burst per message', rate(measured.eventsPerSecond), rate(raw.burstEventsPerSecond!),
      raw.burstEventsPerSecond! / measured.eventsPerSecond);
    const p50 = percentile(measured.latencies, 50);
    const rawP50 = percentile(raw.latencies, 50);
    report('delivery latency publish → handler p50', ms(p50), ms(rawP50), p50 / rawP50, TARGETS.fanoutP50);
    const p99 = percentile(measured.latencies, 99);
    const rawP99 = percentile(raw.latencies, 99);
    report('delivery latency publish → handler p99', ms(p99), ms(rawP99), p99 / rawP99);
  } finally {
    await host.stop();
    root.cleanup();
    rmSync(userData, { recursive: true, force: true });
  }
}
