/**
 * The single-instance launch logic (main/shell/plugin-commands/instance.ts) through its seams:
 * a fake of Electron's lock that behaves like `app.requestSingleInstanceLock` (the first caller
 * holds it; a later caller's additional data arrives, structured-cloned, at the holder's
 * `second-instance` listeners) and real hosts on a temp profile. Only the few lines of
 * main/index.ts that bind the seams to `app` stay outside.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import { createHost } from '../../main/host/host.ts';
import { createNodeLauncher } from '../../main/host/workers/node-launcher.ts';
import { BUSY_MESSAGE, launch, type InstanceHost, type InstanceSeams, type LaunchPath, type RunningApp } from '../../main/shell/plugin-commands/instance.ts';
import type { CommandResult } from '../../main/shell/plugin-commands/relay.ts';
import { createPluginViews } from '../../main/shell/plugin-views.ts';
import { createTempDir, writePlugin } from '../support/plugin-folders.ts';

const BIN = '/usr/lib/plinth/plinth';

/** A promise with its resolve function outside. */
function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => { resolve = r; });
  return { promise, resolve };
}

/** One machine's single-instance lock, as Electron keeps it. */
function createLockBroker() {
  let holder: Array<(data: unknown) => void> | null = null;
  return {
    /** The seams of one launch; `listeners` are its `second-instance` subscribers. */
    bind(listeners: Array<(data: unknown) => void>) {
      return (data: unknown): boolean => {
        if (holder === null) {
          holder = listeners;
          return true;
        }
        const to = holder;
        setImmediate(() => { for (const listener of to) listener(structuredClone(data)); });
        return false;
      };
    },
  };
}

interface Launched {
  /** Its `second-instance` listeners (what a later launch's data reaches). */
  listeners: Array<(data: unknown) => void>;
  path: Promise<LaunchPath>;
  exited: Promise<CommandResult>;
  quits: number;
  hostsMade: number;
}

/** A profile whose hosts are stopped and folders removed after the test. */
function profile(t: TestContext) {
  const work = createTempDir(t, 'plinth-instance-');
  const tempDir = mkdtempSync(path.join(tmpdir(), 'plinth-instance-tmp-'));
  t.after(() => rmSync(tempDir, { recursive: true, force: true }));
  const hosts: InstanceHost[] = [];
  t.after(async () => { for (const h of hosts) await h.stop(); });
  const makeHost = (): InstanceHost => {
    const host = createHost({
      userDataDir: path.join(work, 'profile'), bundledPluginsDir: path.join(work, 'no-bundled'), launcher: createNodeLauncher(),
      appVersion: 'test', watchUnpacked: false, updateCheckDelayMs: 60_000,
    });
    hosts.push(host);
    return host;
  };
  return { work, tempDir, makeHost };
}

function start(broker: ReturnType<typeof createLockBroker>, p: ReturnType<typeof profile>, argv: string[], overrides: Partial<InstanceSeams> = {}): Launched {
  const listeners: Array<(data: unknown) => void> = [];
  const exited = deferred<CommandResult>();
  const launched: Launched = { listeners, path: undefined as unknown as Promise<LaunchPath>, exited: exited.promise, quits: 0, hostsMade: 0 };
  launched.path = launch({
    argv: [BIN, ...argv], cwd: p.work, tempDir: p.tempDir,
    requestLock: broker.bind(listeners),
    whenReady: () => Promise.resolve(),
    onSecondInstance: (listener) => listeners.push(listener),
    makeHost: () => { launched.hostsMade++; return p.makeHost(); },
    exitWith: (result) => exited.resolve(result),
    quit: () => { launched.quits++; },
    startApp: () => Promise.reject(new Error('this launch was not expected to open the app')),
    relayTimeoutMs: 30_000,
    ...overrides,
  });
  return launched;
}

/** The windowed app on a started host; `focused` counts plain second launches. */
function windowedApp(p: ReturnType<typeof profile>) {
  const state = { focused: 0, host: undefined as InstanceHost | undefined, focusedSignal: deferred() };
  const startApp = async (): Promise<RunningApp> => {
    const host = p.makeHost();
    await host.start();
    state.host = host;
    return { host, focusMain: () => { state.focused++; state.focusedSignal.resolve(); } };
  };
  return { state, startApp };
}

test('with the app open, a later `plinth --install-plugin <dir>` is run by the running app and prints its answer', async (t) => {
  const broker = createLockBroker();
  const p = profile(t);
  const dir = writePlugin(p.work, { name: 'weather', version: '1.0.0', capabilities: ['tasks.read'] });
  const app = windowedApp(p);
  const first = start(broker, p, [], { startApp: app.startApp });
  assert.equal(await first.path, 'app');

  const second = start(broker, p, ['--install-plugin', dir, '--approve-capabilities', '--list-plugins', '--show-versions']);
  const result = await second.exited;
  assert.equal(await second.path, 'forward-command');
  assert.deepEqual(result, { exitCode: 0, stdout: ['Installed weather@1.0.0', 'Enabled weather; approved: Read your tasks', 'weather@1.0.0'], stderr: [] });
  assert.equal(second.hostsMade, 0, 'the second launch never opened the profile itself');
  assert.equal(createPluginViews(app.state.host!).summary('weather').enabled, true, 'the running app installed it');
  assert.deepEqual(readdirSync(p.tempDir), [], 'the result file was read and removed');
  assert.equal(app.state.focused, 0, 'a command does not raise the window');
});

test('a plain second launch quits and brings the running app forward; foreign data never makes it write a file', async (t) => {
  const broker = createLockBroker();
  const p = profile(t);
  const app = windowedApp(p);
  const first = start(broker, p, [], { startApp: app.startApp });
  assert.equal(await first.path, 'app');

  const second = start(broker, p, []);
  assert.equal(await second.path, 'wake-running-app');
  assert.equal(second.quits, 1);
  await app.state.focusedSignal.promise;
  assert.equal(app.state.focused, 1);

  // Any local program can send additional data: a result file outside the temp folder is refused.
  const outside = createTempDir(t, 'plinth-instance-outside-');
  app.state.focusedSignal = deferred();
  for (const listener of first.listeners) listener({ argv: [BIN, '--list-plugins'], cwd: p.work, resultFile: path.join(outside, 'plinth-command-00000000-0000-0000-0000-000000000000.json') });
  await app.state.focusedSignal.promise;
  assert.equal(app.state.focused, 2, 'treated as a plain launch');
  assert.deepEqual(readdirSync(outside), []);
});

test('a command that arrives while the app is still starting is answered once it runs', async (t) => {
  const broker = createLockBroker();
  const p = profile(t);
  const app = windowedApp(p);
  const gate = deferred();
  const first = start(broker, p, [], { startApp: async () => { await gate.promise; return app.startApp(); } });
  const second = start(broker, p, ['--list-plugins']);
  let answered = false;
  void second.exited.then(() => { answered = true; });
  await new Promise((resolve) => setImmediate(resolve));
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(answered, false, 'no answer before the host runs');
  gate.resolve();
  assert.equal(await first.path, 'app');
  assert.deepEqual(await second.exited, { exitCode: 0, stdout: [], stderr: [] });
});

test('with the app closed, a command runs on the profile without a window; another one meanwhile is told it is busy', async (t) => {
  const broker = createLockBroker();
  const p = profile(t);
  const dir = writePlugin(p.work, { name: 'notes', version: '2.0.0' });
  const gate = deferred();
  const first = start(broker, p, ['--install-plugin', dir, '--approve-capabilities'], { whenReady: () => gate.promise });
  const second = start(broker, p, ['--list-plugins']);
  assert.deepEqual(await second.exited, { exitCode: 1, stdout: [], stderr: [BUSY_MESSAGE] });
  assert.equal(await second.path, 'forward-command');
  gate.resolve();
  assert.deepEqual(await first.exited, { exitCode: 0, stdout: ['Installed notes@2.0.0', 'Enabled notes'], stderr: [] });
  assert.equal(await first.path, 'command-on-profile');
  assert.equal(first.hostsMade, 1);
  assert.deepEqual(readdirSync(p.tempDir), []);
});

test('on the profile: bad arguments exit 2 with the usage; a host that cannot start exits 1 saying why', async (t) => {
  const p = profile(t);
  const usage = start(createLockBroker(), p, ['--install-plugin']);
  const result = await usage.exited;
  assert.equal(result.exitCode, 2);
  assert.match(result.stderr[0]!, /^error: USAGE: /);

  const broken = start(createLockBroker(), p, ['--list-plugins'], {
    // Only start and stop are reached: the commands never run on a host that did not start.
    makeHost: () => ({ start: () => Promise.reject(new Error('database is locked')), stop: () => Promise.resolve() }) as unknown as InstanceHost,
  });
  assert.deepEqual(await broken.exited, { exitCode: 1, stdout: [], stderr: ['error: INTERNAL: database is locked'] });
});
