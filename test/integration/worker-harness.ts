/**
 * Shared helpers of the worker integration tests: an in-memory HostApi that records calls,
 * and a starter that runs a fixture plugin in a real child process via the Node launcher.
 * (Waiting for a pid to go: `waitForPidGone` in test/support/plugin-folders.ts.)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createNodeLauncher } from '../../main/host/workers/node-launcher.ts';
import '../support/worker-runtime.ts';
import { guardHostApi } from '../../main/host/rpc/capability-guard.ts';
import { createWorkerHandle, type WorkerHandle, type WorkerHandleOptions } from '../../main/host/workers/worker-handle.ts';
import type { WorkerLauncher } from '../../main/host/workers/launcher.ts';
import type { Capability } from '../../sdk/protocol/capabilities.ts';
import { PlinthError } from '../../sdk/protocol/errors.ts';
import type { Json } from '../../sdk/protocol/json.ts';
import { HOST_API_CAPABILITIES, PROTOCOL_VERSION, type HostApi, type HostMethod, type StateKey } from '../../sdk/protocol/rpc.ts';
import type { RpcHandlers } from '../../sdk/rpc/types.ts';

/** Folder of the fixture plugins. */
export const FIXTURES = fileURLToPath(new URL('../fixtures/plugins/', import.meta.url));

/**
 * A HostApi for tests: state in a Map, `tasks.list` empty, subscriptions and job registrations
 * accepted, every call recorded; other methods answer NOT_FOUND.
 */
export function createTestHostApi() {
  const calls: Array<{ method: HostMethod; args: unknown[] }> = [];
  const state = new Map<string, Json>();
  const keyOf = (k: StateKey) => JSON.stringify([k.scopeKind, k.scopeId ?? null, k.namespace ?? null, k.stateKey]);
  const served: Partial<RpcHandlers<HostApi>> = {
    'log': () => undefined,
    'config.get': () => ({}),
    'state.get': (key) => state.get(keyOf(key)) ?? null,
    'state.set': (key, value) => void state.set(keyOf(key), value),
    'tasks.list': () => ({ items: [] }),
    'events.subscribe': () => undefined,
    'events.unsubscribe': () => undefined,
    'jobs.register': () => undefined,
  };
  const impl = Object.fromEntries((Object.keys(HOST_API_CAPABILITIES) as HostMethod[]).map((method) => [
    method,
    (...args: unknown[]) => {
      calls.push({ method, args });
      const handler = served[method] as ((...a: unknown[]) => unknown) | undefined;
      if (!handler) throw new PlinthError('NOT_FOUND', `${method} is not served in this test`);
      return handler(...args);
    },
  ])) as unknown as RpcHandlers<HostApi>;
  return { impl, calls, state, stateValue: (key: StateKey) => state.get(keyOf(key)) };
}

/** Options of {@link startFixture}. */
export interface FixtureOptions extends Partial<Pick<WorkerHandleOptions, 'heapMb' | 'setupBudgetMs' | 'callTimeoutMs' | 'shutdownGraceMs'>> {
  capabilities?: Capability[];
  /** Absolute path of the entry; default `<FIXTURES>/<name>/worker.js`. */
  entry?: string;
  /** The sandbox's plugin folder; default the entry's folder; `null` runs the worker unsandboxed. */
  sandboxRoot?: string | null;
}

/** Runs a fixture plugin in a real worker process; stopped and cleaned up after the test. */
export async function startFixture(t: TestContext, name: string, options: FixtureOptions = {}) {
  const dataDir = await mkdtemp(join(tmpdir(), `plinth-${name}-`));
  const host = createTestHostApi();
  const pids: number[] = [];
  const output: Array<{ stream: 'stdout' | 'stderr'; line: string }> = [];
  const lineWaiters = new Set<{ pattern: RegExp; resolve: (line: string) => void }>();
  const node = createNodeLauncher();
  // Wraps the launcher to learn every pid it starts.
  const launcher: WorkerLauncher = {
    spawn(entry, opts) {
      const proc = node.spawn(entry, opts);
      if (proc.pid !== undefined) pids.push(proc.pid);
      return proc;
    },
  };
  const pluginId = `fixture-${name}`;
  const { capabilities = ['plugin.state.read', 'plugin.state.write'], entry = join(FIXTURES, name, 'worker.js'), sandboxRoot, ...budgets } = options;
  const handle: WorkerHandle = createWorkerHandle({
    launcher, pluginId, entry,
    sandboxRoot: sandboxRoot === undefined ? dirname(entry) : sandboxRoot,
    init: { pluginId, version: '1.2.3', dataDir, config: {}, protocolVersion: PROTOCOL_VERSION },
    hostApi: guardHostApi(pluginId, capabilities, host.impl),
    ...budgets,
    onOutput: (stream, line) => {
      output.push({ stream, line });
      for (const waiter of lineWaiters) {
        if (waiter.pattern.test(line)) {
          lineWaiters.delete(waiter);
          waiter.resolve(line);
        }
      }
    },
  });
  t.after(async () => {
    await handle.stop();
    await rm(dataDir, { recursive: true, force: true });
  });
  /** Resolves with the first output line (past or future) matching `pattern`. */
  const waitForLine = (pattern: RegExp) => {
    const seen = output.find((o) => pattern.test(o.line));
    if (seen) return Promise.resolve(seen.line);
    return new Promise<string>((resolve) => lineWaiters.add({ pattern, resolve }));
  };
  return { handle, host, pids, output, dataDir, waitForLine };
}
