/**
 * Small types shared by the host core's modules: the host's options, the change notification and
 * start-up notices.
 */
import type { PluginSource } from '@plinth/sdk/protocol/lifecycle';
import type { ReadmeImagesOptions } from './catalog/readme-images.ts';
import type { PreferencesStore } from './preferences.ts';
import type { RateLimitsOptions } from './rate-limits.ts';
import type { SecretStore } from './services/secrets/secret-store.ts';
import type { SupervisorOptions } from './supervisor.ts';
import type { WorkerLauncher } from './workers/launcher.ts';

/** Options of `createHost` (host.ts). */
export interface HostOptions {
  /** The profile folder: database, installed plugins, plugin data, logs. */
  userDataDir: string;
  /** Plugins shipped with the app (may use the reserved `plinth-` prefix). */
  bundledPluginsDir: string;
  /** More plugin roots (tests, the CLI). */
  extraPluginRoots?: Array<{ dir: string; source: PluginSource; isPluginFolder?: boolean }>;
  launcher: WorkerLauncher;
  appVersion: string;
  /** App preferences; default: a `conf` file in the profile folder. Electron passes electron-store. */
  preferences?: PreferencesStore;
  /** Encrypts secrets at rest; default: a local-key store in the profile folder. Electron passes safeStorage. */
  secretStore?: SecretStore;
  /** Injected for tests: activation budget of `setup` (ms). */
  setupBudgetMs?: number;
  /** Injected for tests: timeout of host → worker calls (ms). */
  callTimeoutMs?: number;
  /** Injected for tests: restart backoff, heartbeat and health timings. */
  supervisorOptions?: Partial<Pick<SupervisorOptions, 'restart' | 'heartbeat' | 'healthIntervalMs' | 'idleTimeoutMs' | 'spareWorker'>>;
  /** Overrides the Developer mode preference (tests: plain HTTP to localhost for `ctx.http.fetch`). */
  developerMode?: () => boolean;
  /** Watch unpacked folders for hot reload (default true). */
  watchUnpacked?: boolean;
  /** Injected for tests: the UI and worker request rates (default `UI_RATE`, `WORKER_RATE`). */
  rateLimits?: RateLimitsOptions;
  /** Preferred webhook server port; overrides the preference. */
  webhookPort?: number;
  /** The proxy for a registry URL (Electron: the session's resolved proxy); default: `HTTPS_PROXY` & co. */
  proxyFor?(url: string): Promise<string | null | undefined>;
  /** Delay of the start-up update check (ms); tests pass 0. */
  updateCheckDelayMs?: number;
  /** Test seams of the README image fetcher (a test image server on loopback, its CA); the app passes none. */
  readmeImageSeams?: Pick<ReadmeImagesOptions, 'allowLoopbackForTests' | 'ca' | 'lookup'>;
}

/** Notification that some plugin's summary changed (state, runtime, enablement). */
export interface PluginsChangedEvent { pluginId?: string; /** The plugin's code changed: frames must reload. */ reload?: boolean }

/** Something the app repaired or did at start that the user must hear about once. */
export interface StartupNotice {
  kind: 'database-recovered' | 'settings-recovered' | 'database-restored';
  /** What happened and what it means, in plain words. */
  message: string;
  /** Absolute path of the kept old file. */
  keptAs?: string;
}
