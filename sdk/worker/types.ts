/**
 * The types a plugin author writes against (docs/plugin-api.md §5): the plugin definition passed to
 * `definePlugin`, the `ctx` handed to `setup`, and the handler signatures. Every `ctx` member
 * is a call to the host; the host checks the capability named in brackets on each one and
 * rejects with `CAPABILITY_DENIED` naming it when the manifest does not declare it.
 */
import type {
  ActivityEntry, Comment, CommentInput, CommentQuery, EventEnvelope, EventFilter, Page, PageQuery, Project, ProjectInput,
  ProjectQuery, Task, TaskInput, TaskQuery,
} from '../protocol/entities.ts';
import type { Capability } from '../protocol/capabilities.ts';
import type { Json, JsonObject } from '../protocol/json.ts';
import type {
  ConfigValidation, FileReadOptions, FileStat, FileWriteOptions, HealthResult, HttpResponse, JobRun, StateKey, StateScope, ToolResult, ToolRun,
  WebhookInput, WebhookResult,
} from '../protocol/rpc.ts';

/** A value or a promise of it. */
export type Awaitable<T> = T | Promise<T>;

/** Removes a subscription; calling it again does nothing. */
export type Unsubscribe = () => void;

/**
 * What a handler receives by default: the JSON object the caller passed, or `null` when it
 * passed none. Give the handler's own parameter type (`ctx.data.register<MyParams>(…)`, or a
 * JSDoc `@param` on the handler in JavaScript) to check its fields.
 */
export type HandlerParams = JsonObject | null;

/**
 * Serves `usePluginData(key, params)` in this plugin's UI. `params` (`P`) is the JSON value the
 * UI passed (`null` when none); the result (`R`) must be JSON-serialisable (at most 8 MiB as
 * JSON, else `PAYLOAD_TOO_LARGE`). `undefined` is sent as `null`. Neither type is checked at
 * run time: validate params you did not produce yourself.
 */
export type DataHandler<P = HandlerParams, R = unknown> = (params: P) => Awaitable<R>;

/** Serves `usePluginAction(key)(params)`; same rules as {@link DataHandler}. */
export type ActionHandler<P = HandlerParams, R = unknown> = (params: P) => Awaitable<R>;

/**
 * Serves an agent tool declared in the manifest's `plinth.tools`. `params` (`P`) has already
 * passed the tool's `parametersSchema`; `run` says which agent called it.
 */
export type ToolHandler<P = JsonObject> = (params: P, run: ToolRun) => Awaitable<ToolResult>;

/**
 * Runs a job declared in `plinth.jobs`. A thrown error marks the run failed; the host does not
 * retry it on its own, but the user can retry a failed run (API 1.1: `job.trigger` is `"retry"`).
 */
export type JobHandler = (job: JobRun) => Awaitable<void>;

/** Receives an event (docs/plugin-api.md §3 envelope). */
export type EventHandler = (event: EventEnvelope) => Awaitable<void>;

/** `ctx.logger`: lines land in the plugin's log in Settings. `data` is any JSON value. */
export interface PluginLogger {
  /** A detail that helps while debugging the plugin. */
  debug(message: string, data?: Json): void;
  /** Something the plugin did that the user may want to see. */
  info(message: string, data?: Json): void;
  /** Something went wrong but the plugin carries on. */
  warn(message: string, data?: Json): void;
  /** Something failed. */
  error(message: string, data?: Json): void;
}

/** Options of `ctx.http.fetch`; `body` is text. */
export interface HttpFetchInit { method?: string; headers?: Record<string, string>; body?: string }

/** The context handed to `setup` (docs/plugin-api.md §5). Every async member rejects with a `PlinthError`. */
export interface PluginContext {
  /** The plugin id: the manifest's `name`. */
  readonly pluginId: string;
  /** The plugin's version from its manifest. */
  readonly version: string;
  /** The plugin's private writable folder, kept across upgrades (absolute path). */
  readonly dataDir: string;
  /** Writes to the plugin's log. Never throws; failures go to stderr. */
  readonly logger: PluginLogger;
  /** The plugin's config, as the user saved it in Settings (checked against `plinth.configSchema`). */
  readonly config: {
    /** The current config; `format: "secret"` fields are left as references for `secrets.resolve`. */
    get(): Promise<JsonObject>;
  };
  /** Secret config fields (`"format": "secret"`): stored encrypted, the config holds only references. */
  readonly secrets: {
    /** Resolves a secret reference from the config to its value. [`secrets.read-ref`] */
    resolve(ref: string): Promise<string>;
  };
  /**
   * Plugin state kept by the host, keyed by `(scopeKind, scopeId, namespace, stateKey)`.
   * Values are JSON. [`plugin.state.read`] for `get`/`list`, [`plugin.state.write`] for `set`/`delete`.
   */
  readonly state: {
    /** The value, or `null` when absent. */
    get(key: StateKey): Promise<Json | null>;
    /** Stores `value` (JSON, at most 1 MiB, else `PAYLOAD_TOO_LARGE`) under `key`, replacing any. */
    set(key: StateKey, value: Json): Promise<void>;
    /** Removes the entry; removing one that does not exist is not an error. */
    delete(key: StateKey): Promise<void>;
    /** All entries of one scope (and namespace, when given). */
    list(scope: StateScope): Promise<Array<{ key: StateKey; value: Json }>>;
  };
  /** Projects. [`projects.read`] for `list`/`get`, [`projects.write`] for the rest. */
  readonly projects: {
    /** One page of projects (`limit` default 50), oldest first; pass `nextCursor` back as `cursor` for the next. */
    list(query?: ProjectQuery): Promise<Page<Project>>;
    /** The project, or `null` when no project has this id. */
    get(id: string): Promise<Project | null>;
    /** Creates a project; publishes `project.created`. @throws `INVALID_INPUT` for an empty or over-long name */
    create(input: ProjectInput): Promise<Project>;
    /** Changes the given fields; publishes `project.updated`. @throws `NOT_FOUND` for an unknown id */
    update(id: string, patch: Partial<ProjectInput>): Promise<Project>;
    /** Deletes the project with its tasks and comments (each publishes its `*.deleted`). @throws `NOT_FOUND` */
    delete(id: string): Promise<void>;
  };
  /** Tasks. [`tasks.read`] for `list`/`get`, [`tasks.write`] for the rest. */
  readonly tasks: {
    /** One page of tasks, filtered by project, status, priority or title text; `nextCursor` continues. */
    list(query?: TaskQuery): Promise<Page<Task>>;
    /** The task, or `null` when no task has this id. */
    get(id: string): Promise<Task | null>;
    /** Creates a task in `input.projectId`; publishes `task.created`. @throws `NOT_FOUND` for an unknown project */
    create(input: TaskInput): Promise<Task>;
    /** Changes the given fields (not the project); publishes `task.updated`. @throws `NOT_FOUND` */
    update(id: string, patch: Partial<Omit<TaskInput, 'projectId'>>): Promise<Task>;
    /** Deletes the task and its comments; publishes `task.deleted`. @throws `NOT_FOUND` */
    delete(id: string): Promise<void>;
  };
  /** Comments. [`comments.read`] for `list`, [`comments.write`] for the rest. */
  readonly comments: {
    /** One page of the task's comments, oldest first. */
    list(query: CommentQuery): Promise<Page<Comment>>;
    /** Adds a comment (author default: the plugin's id); publishes `comment.created`. @throws `NOT_FOUND` for an unknown task */
    create(input: CommentInput): Promise<Comment>;
    /** Deletes the comment; publishes `comment.deleted`. @throws `NOT_FOUND` */
    delete(id: string): Promise<void>;
  };
  /** The activity log: one entry per write a plugin made (the user's own writes are not logged). [`activity.read`] */
  readonly activity: {
    /**
     * Entries newest first, `limit` 1..500 (default 50) per page; `pluginId` narrows to one
     * plugin's writes. Each entry: `{ id, pluginId, action, entityType, entityId, occurredAt }`,
     * where `action` is the core event name of the write (e.g. `task.created`).
     */
    list(query?: PageQuery & { pluginId?: string }): Promise<Page<ActivityEntry>>;
  };
  /** Core events and other plugins' events, and this plugin's own (docs/plugin-api.md §3 envelope). */
  readonly events: {
    /**
     * Subscribes to events named `name` (may end in `.*`), optionally filtered.
     * [`events.subscribe`] A subscription made during `setup` that the host refuses fails
     * `setup`; one made later is logged as an error.
     */
    on(name: string, handler: EventHandler): Unsubscribe;
    on(name: string, filter: EventFilter, handler: EventHandler): Unsubscribe;
    /** Emits `name`; other plugins receive it as `plugin.<pluginId>.<name>`. [`events.emit`] */
    emit(name: string, payload: Json): Promise<void>;
  };
  /** Handlers of the scheduled jobs declared in `plinth.jobs` (runs are also triggered by hand, or retried by the user). */
  readonly jobs: {
    /** Handles the job `jobKey` declared in `plinth.jobs`. [`jobs.schedule`] Refusals as for `events.on`. */
    register(jobKey: string, handler: JobHandler): void;
  };
  /** Outbound HTTP through the host, only to the hosts of the plugin's `http.outbound:<host>` capabilities. */
  readonly http: {
    /** Fetches `url` through the host. [`http.outbound:<host>`] matching the URL's host; other hosts are refused. */
    fetch(url: string, init?: HttpFetchInit): Promise<HttpResponse>;
  };
  /**
   * The plugin's own `dataDir` (API 1.1), the only files a sandboxed worker reaches. Paths are
   * relative to `dataDir` and cannot leave it (`..`, absolute paths and symbolic links are
   * refused with `INVALID_INPUT`). A file is at most 4 MiB, the folder at most 256 MiB
   * (`PAYLOAD_TOO_LARGE`). Text is UTF-8 unless `encoding: "base64"` (bytes as base64).
   */
  readonly files: {
    /** Reads a file. @throws `NOT_FOUND` when it does not exist. */
    read(path: string, options?: FileReadOptions): Promise<string>;
    /** Writes (or with `append`, extends) a file, creating its folders. */
    write(path: string, data: string, options?: FileWriteOptions): Promise<void>;
    /** The files and folders in `path` (default the data folder itself), sorted by name. */
    list(path?: string): Promise<FileStat[]>;
    /** Deletes a file, or a folder with everything in it. @throws `NOT_FOUND` when missing. */
    delete(path: string): Promise<void>;
    /** Size, type and modification time, or `null` when missing. */
    stat(path: string): Promise<FileStat | null>;
  };
  /**
   * Runtime permission requests (API 1.1), as Chrome's optional permissions. A capability listed
   * in `plinth.optionalCapabilities` is not held at install: the plugin asks for it when it needs
   * it, the app shows the user its name, `reason` and the capability in plain words, and the
   * user allows or denies. The answer is remembered across restarts; the user can revoke an
   * allowed capability in Settings at any time, after which calls needing it are refused with
   * `CAPABILITY_DENIED` again. `http.outbound:*` in the optional list lets the plugin ask for one
   * host at a time, e.g. `ctx.permissions.request(["http.outbound:discord.com"], "Post to the
   * Discord server you named in Settings")`, each host approved on its own.
   */
  readonly permissions: {
    /**
     * Asks the user for `capabilities` (1 to 10 strings of `plinth.optionalCapabilities`, or
     * `http.outbound:<host>` when it lists `http.outbound:*`). Capabilities the plugin already
     * holds, or the user already answered, are not asked again; the rest are shown in one prompt
     * and the promise waits for the user (up to 10 minutes; unanswered counts as not granted,
     * and nothing is remembered).
     *
     * @param reason why the plugin asks, 1..300 characters, shown to the user as written.
     * @returns the requested capabilities the plugin holds now, in request order; one the user
     *   denied (now or before) is missing from it.
     * @throws `CAPABILITY_DENIED` for a capability not covered by `plinth.optionalCapabilities`;
     *   `INVALID_INPUT` for a string that is no capability, `http.outbound:*` itself, a wildcard host asked for through it, or an empty
     *   reason; `CONFLICT` while another request of this plugin waits for the user;
     *   `NOT_READY` when no app window is open to ask.
     */
    request(capabilities: Capability[], reason: string): Promise<Capability[]>;
    /** The optional capabilities the user allowed and has not revoked (not those of `plinth.capabilities`). */
    list(): Promise<Capability[]>;
  };
  /** Pushes events to `usePluginStream(channel)` in this plugin's UI. */
  readonly streams: {
    /** Opens `channel` (UI subscribers see `connected: true`); an open stream keeps the worker from idling. */
    open(channel: string): Promise<void>;
    /** Sends `event` (JSON, at most 256 KiB) to every frame of this plugin subscribed to `channel`. */
    emit(channel: string, event: Json): Promise<void>;
    /** Closes `channel`; subscribers see `connected: false`. */
    close(channel: string): Promise<void>;
  };
  /** Handlers of the agent tools declared in `plinth.tools`, called over MCP or from the command palette. */
  readonly tools: {
    /** Handles the tool `name` declared in `plinth.tools`. [`agent.tools.register`] Refusals as for `events.on`. */
    register<P = JsonObject>(name: string, handler: ToolHandler<P>): void;
  };
  /** Handlers behind `usePluginData` in this plugin's UI. */
  readonly data: {
    /**
     * Serves `usePluginData(key, params)`: `P` is the params type, `R` the result type, e.g.
     * `ctx.data.register<{ limit?: number }, Counts>('counts', async (params) => …)`.
     * Registering a key twice throws `CONFLICT`.
     */
    register<P = HandlerParams, R = unknown>(key: string, handler: DataHandler<P, R>): void;
  };
  /** Handlers behind `usePluginAction` in this plugin's UI. */
  readonly actions: {
    /**
     * Serves `usePluginAction(key)(params)`, typed as `ctx.data.register` is.
     * Registering a key twice throws `CONFLICT`.
     */
    register<P = HandlerParams, R = unknown>(key: string, handler: ActionHandler<P, R>): void;
  };
}

/**
 * A plugin (docs/plugin-api.md §5). Every member is optional; hooks are called as methods of the
 * definition. `setup` and `onShutdown` run within host budgets (`SETUP_BUDGET_MS`,
 * `SHUTDOWN_GRACE_MS`); a hook that throws answers its caller with `PLUGIN_ERROR` and its message.
 */
export interface PluginDefinition {
  /** Registers handlers and subscriptions; runs once per worker start. */
  setup?(ctx: PluginContext): Awaitable<void>;
  /** Health shown in Settings. Omitted: `{ status: "ok" }`. */
  onHealth?(): Awaitable<HealthResult>;
  /** Extra validation of a config beyond its JSON Schema. Omitted: always ok. */
  onValidateConfig?(config: JsonObject): Awaitable<ConfigValidation>;
  /** Applies a new config in place. Omitted: the host restarts the worker instead. */
  onConfigChanged?(config: JsonObject): Awaitable<void>;
  /** Answers a webhook declared in `plinth.webhooks`. */
  onWebhook?(input: WebhookInput): Awaitable<WebhookResult>;
  /** Cleans up before the process is stopped; bounded by `SHUTDOWN_GRACE_MS`. */
  onShutdown?(): Awaitable<void>;
}

/** Names of the optional hooks of {@link PluginDefinition}, in declaration order. */
export const PLUGIN_HOOKS = ['setup', 'onHealth', 'onValidateConfig', 'onConfigChanged', 'onWebhook', 'onShutdown'] as const;
