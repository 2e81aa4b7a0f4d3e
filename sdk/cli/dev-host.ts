/**
 * A throw-away host for one plugin folder, used by `plinth-plugin run`: the REAL host core
 * (`createHost`, the Node launcher, supervision, capability guard, services) over a temporary
 * profile, with nothing discovered but the folder under test. `close()` stops every worker,
 * makes sure no worker process outlives it, and deletes the temporary profile.
 *
 * The folder is given to the host as a plugin root with `isPluginFolder: true` (the form
 * "Load unpacked" uses), not through its parent folder: the parent (an author's workspace,
 * or the repo's `plugins/`) usually holds other folders, which would be discovered, validated
 * and perhaps started too, and a plugin of the same name there would be refused as a duplicate.
 * The app's bundled plugins stay out too: the bundled root is an empty folder of the profile.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createHost, type Host } from '@plinth/host';
import type { LogLine } from '@plinth/host/logs';
import type { WorkerLauncher, WorkerProcess } from '@plinth/host/workers/launcher';
import { createNodeLauncher } from '@plinth/host/workers/node-launcher';
import type { PluginSource } from '../protocol/lifecycle.ts';
import { PlinthError } from '../protocol/errors.ts';
import type { JsonObject } from '../protocol/json.ts';

/** Version the dev host reports as the app version (shown nowhere but logs). */
const DEV_APP_VERSION = 'plinth-plugin-run';

/** Options of {@link openDevHost}. */
export interface DevHostOptions {
  /** Real path of the (already validated) plugin folder. */
  realDir: string;
  /** The manifest `name`, i.e. the plugin id. */
  pluginId: string;
  /** `bundled` lets a `plinth-` name load (folders inside the repo's `plugins/`), else `unpacked`. */
  source: PluginSource;
  /** Timeout of every host → worker call (ms); default the host's `CALL_TIMEOUT_MS`. */
  callTimeoutMs?: number;
  /** Every log line of the plugin (worker stdout/stderr, `ctx.logger`, host notes), as it happens. */
  onLog?: (line: LogLine) => void;
  /** Told about every worker process the host starts. */
  onSpawn?: (pid: number | undefined) => void;
  /**
   * A profile folder to use and keep (workspace, state, config and `ctx.dataDir` survive between
   * runs); created when missing. Default: a temporary profile deleted by `close()`.
   */
  profileDir?: string;
  /**
   * Watch the plugin folder and hot-reload the plugin when a file changes (`plinth-plugin dev`;
   * only for `unpacked` plugins, as in the app). Default false: one call, then gone.
   */
  watch?: boolean;
}

/** A running dev host. */
export interface DevHost {
  readonly host: Host;
  readonly pluginId: string;
  /** The profile folder (database, `plugin-data/<id>` = `ctx.dataDir`); deleted by `close()` unless it was given. */
  readonly profileDir: string;
  /** True when the profile is the one given in the options (kept), false for a temporary one. */
  readonly keepsProfile: boolean;
  /**
   * Saves `config` as Settings would (`host.saveConfig`): checked against `configSchema`, secret
   * fields stored encrypted. Without `config`, checks that the plugin needs none.
   * @throws PlinthError `INVALID_INPUT` naming the fields that do not match the schema (or, with
   *   `config` given, when the plugin has no `configSchema`)
   */
  configure(config: JsonObject | undefined): Promise<void>;
  /** Enables the plugin, approving its capabilities (the author runs their own plugin). */
  enable(): Promise<void>;
  /**
   * Stops the host, kills any worker still alive (there should be none), waits for every
   * worker process to exit and deletes the temporary profile. Idempotent; never throws.
   * @returns problems met while closing (empty when all went well)
   */
  close(): Promise<string[]>;
}

/** Wraps a launcher to remember every process it starts. */
function trackingLauncher(inner: WorkerLauncher, onSpawn: (proc: WorkerProcess) => void): WorkerLauncher {
  return {
    spawn(entry, opts) {
      const proc = inner.spawn(entry, opts);
      onSpawn(proc);
      return proc;
    },
  };
}

/**
 * Starts the real host core over a temp profile with only the plugin at `realDir` discovered.
 * The plugin is not enabled yet: call {@link DevHost.configure}, then
 * {@link DevHost.enable}.
 * @throws PlinthError `NOT_FOUND` when the host does not list the plugin, `INVALID_INPUT` with
 *   the host's reason when it refuses it; the temp profile is removed before throwing.
 */
export async function openDevHost(options: DevHostOptions): Promise<DevHost> {
  const base = await mkdtemp(path.join(tmpdir(), 'plinth-run-'));
  const processes: WorkerProcess[] = [];
  const launcher = trackingLauncher(createNodeLauncher(), (proc) => {
    processes.push(proc);
    options.onSpawn?.(proc.pid);
  });

  let host: Host | undefined;
  let unsubscribe: (() => void) | undefined;
  let closing: Promise<string[]> | undefined;
  const close = (): Promise<string[]> => {
    closing ??= (async () => {
      const problems: string[] = [];
      try {
        await host?.stop();
      } catch (error) {
        problems.push(`stopping the host failed: ${(error as Error).message}`);
      }
      // host.stop() waits for the workers it runs; this also covers any process it lost track of.
      for (const proc of processes) {
        proc.kill();
        await proc.exited;
      }
      unsubscribe?.();
      await rm(base, { recursive: true, force: true }).catch((error: Error) => {
        problems.push(`could not delete the temporary profile ${base}: ${error.message}`);
      });
      return problems;
    })();
    return closing;
  };

  try {
    const profile = options.profileDir ? path.resolve(options.profileDir) : path.join(base, 'profile');
    const bundled = path.join(base, 'bundled'); // stays empty: the app's own plugins are not part of a run
    await Promise.all([mkdir(profile, { recursive: true }), mkdir(bundled)]);
    const created = createHost({
      userDataDir: profile,
      bundledPluginsDir: bundled,
      extraPluginRoots: [{ dir: options.realDir, source: options.source, isPluginFolder: true }],
      launcher,
      appVersion: DEV_APP_VERSION,
      watchUnpacked: options.watch === true,
      ...(options.callTimeoutMs !== undefined ? { callTimeoutMs: options.callTimeoutMs } : {}),
    });
    host = created;
    unsubscribe = created.logs.onLine((pluginId, line) => {
      if (pluginId === options.pluginId) options.onLog?.(line);
    });
    await created.start();
    const found = created.catalog.plugins.get(options.pluginId);
    if (!found) throw new PlinthError('NOT_FOUND', `The host did not find plugin "${options.pluginId}" in ${options.realDir}`);
    const entry = created.catalog.entry(options.pluginId);
    if (found.problems.length > 0 || entry?.state === 'error') {
      throw new PlinthError('INVALID_INPUT', `The host refused the plugin: ${found.problems.join('\n') || entry?.lastError?.message || 'no reason given'}`);
    }
    return {
      host: created,
      pluginId: options.pluginId,
      profileDir: profile,
      keepsProfile: options.profileDir !== undefined,
      async configure(config) {
        if (config) {
          await created.config.save(options.pluginId, config);
          return;
        }
        const { errors } = created.config.view(options.pluginId);
        if (errors.length > 0) {
          const list = errors.map((e) => `${e.path} ${e.message}`).join('; ');
          throw new PlinthError('INVALID_INPUT', `The plugin needs config: ${list}; pass it with --config '{...}'`);
        }
      },
      async enable() {
        // The author runs their own plugin: consent to its capabilities is implied.
        await created.management.enable(options.pluginId, { approveCapabilities: true });
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
