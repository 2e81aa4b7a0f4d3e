/** The public types of `@plinth/sdk/testing`. */
import type { PluginSource } from '../protocol/lifecycle.ts';
import type { LogLine } from '@plinth/host/logs';
import type { JobRunRecord } from '@plinth/host/services/jobs/job-scheduler';
import type { Workspace } from '@plinth/host/services/workspace';
import type {
  ActivityEntry, Comment, CommentInput, EventEnvelope, PageQuery, Project, ProjectInput, Task, TaskInput,
} from '../protocol/entities.ts';
import type { Json, JsonObject } from '../protocol/json.ts';
import type { PluginManifest } from '../protocol/manifest.ts';
import type { HealthResult, StateKey, StateScope, ToolResult, WebhookResult, WorkerReady } from '../protocol/rpc.ts';
import type { PluginDefinition } from '../worker/types.ts';
import type { SeededFixtures, WorkspaceFixtures } from './fixtures.ts';
import type { HttpStubs } from './http-stubs.ts';

export type { JobRunRecord, LogLine, SeededFixtures, Workspace, WorkspaceFixtures };

/** Options of `createTestHarness`. */
export interface TestHarnessOptions {
  /**
   * The plugin's manifest: a parsed `package.json` object, or the path of the plugin folder
   * or of its `package.json`. Validated like the app validates it; an invalid one rejects.
   */
  manifest: PluginManifest | Record<string, unknown> | string;
  /**
   * The plugin's config; default `{}`. Not validated against `configSchema`. Secret fields given
   * here as plain strings are sealed like Settings seals them (see `secrets`).
   */
  config?: JsonObject;
  /**
   * Values of secret config fields (top-level `configSchema` properties with `"format": "secret"`),
   * by name. Each is stored encrypted and the config holds its reference, as in the app:
   * `ctx.config.get()` shows `secret:<id>` and `ctx.secrets.resolve(ref)` returns the value
   * (with `secrets.read-ref`). A name that is not such a property rejects with `INVALID_INPUT`.
   */
  secrets?: Record<string, string>;
  /**
   * The plugin folder. `harness.setup()` without an argument loads `plinth.worker` from it,
   * and the manifest's entry files are checked in it. Default: the folder of a manifest path.
   */
  pluginDir?: string;
  /** Where the plugin comes from; only `bundled` may use the reserved `plinth-` names. Default `unpacked`. */
  source?: PluginSource;
  /** Developer mode: `ctx.http.fetch` may use plain `http://` to localhost. Default `false`. */
  developerMode?: boolean;
  /** Timeout of every call into the plugin (ms); default `CALL_TIMEOUT_MS` (30 s), as in the app. */
  callTimeoutMs?: number;
  /**
   * Declared capabilities the plugin does not hold in this harness, as when a user has not
   * approved them: calls that need one reject with `CAPABILITY_DENIED`. For testing how the
   * plugin behaves without a capability, without editing its manifest.
   */
  withoutCapabilities?: string[];
  /**
   * Plays the user answering `ctx.permissions.request` (API 1.1): called once per prompt with
   * the capabilities not answered yet and the plugin's reason; `true` is Allow, `false` Deny.
   * Answers are remembered for the harness's life, as in the app. Without it a request for an
   * optional capability rejects with `NOT_READY` (no one to ask), as in `plinth-plugin run`.
   */
  answerPermission?: (request: { capabilities: string[]; reason: string }) => boolean;
}

/** A request to `harness.webhook`. */
export interface HarnessWebhookRequest {
  /** Default `POST`. */
  method?: string;
  headers?: Record<string, string>;
  /** Added to the URL's query string. */
  query?: Record<string, string>;
  /** The body: a string as is, any other JSON value as JSON (with `content-type: application/json`). */
  body?: string | Json;
}

/** An event the plugin emitted with `ctx.events.emit`, as `harness.emitted` records it. */
export interface EmittedEvent {
  /** The name the plugin gave. */
  name: string;
  /** The name other plugins receive it as: `plugin.<pluginId>.<name>`. */
  deliveredAs: string;
  payload: Json;
}

/** How `harness.setConfig` applied a config. */
export interface ConfigApplied {
  /**
   * `onConfigChanged`: the running plugin's hook took it. `restarted`: the plugin has no hook, so
   * its worker was stopped and set up again with the new config, as the app does. `stored`: not
   * set up yet; `setup()` will see it.
   */
  applied: 'onConfigChanged' | 'restarted' | 'stored';
}

/** Options of `harness.emit`, for fields the name does not imply. */
export interface HarnessEventOptions {
  /** `projectId` of the envelope (what `{ projectId }` filters match); default `payload.projectId` when it is a string. */
  projectId?: string;
  /** `entityId` of the envelope; default `payload.id` for core events, the plugin id for plugin events. */
  entityId?: string;
}

/**
 * A plugin running in-process against an in-memory host: the real capability guard, the
 * real workspace, state, events, jobs, webhook, HTTP and tool services over an in-memory
 * SQLite database, and the real worker runtime over a memory channel that carries every
 * message as JSON text, as the process boundary does. Methods reject with `PlinthError`s
 * whose `code` is what the app would give (`CAPABILITY_DENIED`, `INVALID_INPUT`, `NOT_FOUND`, …).
 */
export interface TestHarness {
  /** The plugin id (the manifest's `name`). */
  readonly pluginId: string;
  /** The validated manifest. */
  readonly manifest: PluginManifest;
  /** Manifest warnings the app would show, one line each. */
  readonly warnings: readonly string[];
  /**
   * `ctx.dataDir`: the plugin's private writable folder (absolute path). In the harness it is an
   * empty temporary folder, fresh for every harness and removed by `close()`; read and write it
   * from the test to seed files or check what the plugin wrote.
   */
  readonly dataDir: string;
  /** The config as the plugin sees it (`ctx.config.get()`): secret fields hold references. A copy. */
  readonly config: JsonObject;
  /**
   * Saves a new config as Settings does (secret fields sealed into references) and tells the
   * running plugin: its `onConfigChanged` is called, or, without one, its worker is shut down and
   * set up again. Not validated against `configSchema`.
   * @throws the error `onConfigChanged` (or the new `setup`) failed with
   */
  setConfig(config: JsonObject): Promise<ConfigApplied>;
  /** Every event the plugin emitted with `ctx.events.emit` (oldest first), whether or not anyone subscribed. */
  readonly emitted: readonly EmittedEvent[];
  /**
   * Runs the plugin's `setup(ctx)` (within the app's setup budget) and resolves with what it
   * registered. `plugin` is a definition (the result of `definePlugin`), or the path of a
   * worker entry module; omitted, `plinth.worker` of `pluginDir` is loaded. Each harness
   * loads a fresh instance of the entry module. Call it once per harness.
   * @throws the error `setup` failed with, e.g. `CAPABILITY_DENIED` for `ctx.events.on` without
   *   `events.subscribe`; `CONFLICT` when setup already succeeded; `NOT_FOUND` without a worker to load.
   */
  setup(plugin?: PluginDefinition | string): Promise<WorkerReady>;
  /**
   * Creates workspace entities as the user (not logged as plugin activity). Each resolves
   * with the entity once its core event has reached the plugin's handlers.
   * @throws PlinthError `INVALID_INPUT` / `NOT_FOUND` as the workspace does.
   */
  readonly seed: {
    /**
     * Creates a fixtures document (projects with their tasks and comments, and this plugin's
     * state; the shape `plinth-plugin run --seed` reads) and resolves once the plugin has
     * handled the core events.
     * @throws PlinthError `INVALID_INPUT` naming every wrong field by path, e.g. `projects[0].tasks[1].status`
     */
    fixtures(document: WorkspaceFixtures): Promise<SeededFixtures>;
    project(input: ProjectInput): Promise<Project>;
    task(input: TaskInput): Promise<Task>;
    comment(input: CommentInput): Promise<Comment>;
  };
  /**
   * The real workspace services, for assertions and more user changes (pass `{ user: true }`
   * as the actor). After a write through it, `await harness.settled()` before checking what
   * the plugin's event handlers did.
   */
  readonly workspace: Workspace;
  /**
   * Publishes an event and resolves with its envelope once the plugin's handlers have run.
   * `name` is a core event (`task.created`, …; entity type from the prefix) or a plugin
   * event `plugin.<pluginId>.<name>`. The plugin receives it only with the right read
   * capability and a matching subscription, as in the app.
   * @throws PlinthError `INVALID_INPUT` for any other name.
   */
  emit(name: string, payload?: Json, options?: HarnessEventOptions): Promise<EventEnvelope>;
  /** Resolves once no event is waiting for, or being handled by, the plugin. */
  settled(): Promise<void>;
  /** Calls the handler of `ctx.data.register(key)` with `params` (default `null`), as `usePluginData` does. */
  data<T = Json>(key: string, params?: Json): Promise<T>;
  /** Calls the handler of `ctx.actions.register(key)` with `params` (default `null`), as `usePluginAction` does. */
  action<T = Json>(key: string, params?: Json): Promise<T>;
  /**
   * Calls tool `name` (its manifest name, not the `<plugin>__<tool>` one) as an agent would.
   * @throws PlinthError `INVALID_INPUT` listing the `parametersSchema` errors (the plugin never
   *   sees invalid params); `NOT_FOUND` for a tool not in `plinth.tools`.
   */
  tool(name: string, params?: Json): Promise<ToolResult>;
  /**
   * Runs job `jobKey` now (trigger `manual`) and resolves with its run record, also when the
   * handler threw: then `status` is `failed` and `error` holds the message.
   * @throws PlinthError `NOT_FOUND` for a job not in `plinth.jobs`; `NOT_READY` before `setup()` or after `close()`.
   */
  runJob(jobKey: string): Promise<JobRunRecord>;
  /**
   * Sends an HTTP request to the endpoint's real local URL and resolves with the answer the
   * sender gets (`body` as text, `headers` as received, lower case): the plugin's result, or
   * the host's own 404/413/429/502/503 answers.
   * @throws PlinthError `NOT_FOUND` for an endpoint not in `plinth.webhooks`.
   */
  webhook(endpointKey: string, request?: HarnessWebhookRequest): Promise<Required<Pick<WebhookResult, 'status' | 'body' | 'headers'>>>;
  /** The plugin's `onHealth` (default `{ status: "ok" }`). */
  health(): Promise<HealthResult>;
  /** The plugin's state as the host keeps it (read and seed it without capabilities). */
  readonly state: {
    get(key: StateKey): Json | null;
    set(key: StateKey, value: Json): void;
    list(scope: StateScope): Array<{ key: StateKey; value: Json }>;
  };
  /** This plugin's activity log entries, newest first (one page; `limit` default 50, at most 500). */
  activity(query?: PageQuery): ActivityEntry[];
  /** Lines of the plugin's log (`ctx.logger`, host errors such as failed event handlers), oldest first. */
  readonly logs: readonly LogLine[];
  /** Canned answers for `ctx.http.fetch`; capability checks still apply. */
  readonly http: HttpStubs;
  /** Runs `onShutdown`, stops every service and deletes the temporary folder. Safe to call twice. */
  close(): Promise<void>;
}
