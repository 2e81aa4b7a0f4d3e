/**
 * Real hosts for integration tests: the host core on a temp profile with the Node launcher, real
 * worker processes and purpose-built plugin folders. After the test every host started on the
 * profile is stopped, any worker process left behind is killed, and only then are the temp
 * folders removed (a stopping host still writes its logs and database).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHost, type Host, type HostOptions } from '../../main/host/host.ts';
import { createNodeLauncher } from '../../main/host/workers/node-launcher.ts';
import './worker-runtime.ts';
import { pidAlive, writePlugin, type AfterHook, type PluginSpec } from './plugin-folders.ts';

/** Options of {@link TestProfile.start}: any {@link HostOptions} but the profile, plus the plugins to run. */
export interface TestHostOptions extends Partial<Omit<HostOptions, 'userDataDir'>> {
  /**
   * Plugin folders written into the profile's `pluginsDir` before the host starts; when given
   * (even empty), `pluginsDir` is an unpacked plugin root of the host.
   */
  plugins?: PluginSpec[];
  /** Switch `plugins` on (with consent) once started, in order; default true. */
  enablePlugins?: boolean;
}

/** A temp profile folder and plugin root that any number of hosts can start on, one after another. */
export interface TestProfile {
  userDataDir: string;
  /** Unpacked plugin root the `plugins` option writes into. */
  pluginsDir: string;
  /**
   * Creates and starts a host on this profile. Defaults: no bundled plugins, `watchUnpacked:
   * false` (tests that need hot reload ask for it), app version `test`.
   */
  start(options?: TestHostOptions): Promise<Host>;
}

/** A fresh profile whose hosts, leftover workers and folders are cleaned up after the test. */
export function createTestProfile(t: AfterHook): TestProfile {
  const userDataDir = mkdtempSync(join(tmpdir(), 'plinth-test-profile-'));
  const pluginsDir = mkdtempSync(join(tmpdir(), 'plinth-test-plugins-'));
  const hosts: Host[] = [];
  const pids = new Set<number>();
  t.after(async () => {
    for (const host of hosts) await host.stop();
    for (const pid of pids) if (pidAlive(pid)) process.kill(pid, 'SIGKILL');
    for (const dir of [userDataDir, pluginsDir]) rmSync(dir, { recursive: true, force: true });
  });

  async function start(options: TestHostOptions = {}): Promise<Host> {
    const { plugins, enablePlugins = true, ...hostOptions } = options;
    for (const spec of plugins ?? []) writePlugin(pluginsDir, spec);
    const host = createHost({
      bundledPluginsDir: join(userDataDir, 'no-bundled-plugins'),
      launcher: createNodeLauncher(),
      appVersion: 'test',
      watchUnpacked: false,
      ...hostOptions,
      userDataDir,
      extraPluginRoots: [...(hostOptions.extraPluginRoots ?? []), ...(plugins ? [{ dir: pluginsDir, source: 'unpacked' as const }] : [])],
    });
    hosts.push(host);
    host.supervisor.onChange((id) => {
      const pid = host.supervisor.runtime(id).pid;
      if (pid !== undefined) pids.add(pid);
    });
    await host.start();
    if (enablePlugins) for (const spec of plugins ?? []) await host.management.enable(spec.name, { approveCapabilities: true });
    return host;
  }

  return { userDataDir, pluginsDir, start };
}

/** Starts a host on a fresh {@link createTestProfile} profile. */
export function startTestHost(t: AfterHook, options: TestHostOptions = {}): Promise<Host> {
  return createTestProfile(t).start(options);
}
