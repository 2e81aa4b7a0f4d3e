/**
 * The types a plugin author writes against (CONTRACT §5): the plugin definition passed to
 * `definePlugin`, the `ctx` handed to `setup`, and the handler signatures. Every `ctx` member
 * is a call to the host; the host checks the capability named in brackets on each one and
 * rejects with `CAPABILITY_DENIED` naming it when the manifest does not declare it.
 */
import type {
  ActivityEntry, Comment, CommentInput, CommentQuery, EventEnvelope, EventFilter, Page, PageQuery, Project, ProjectInput,
  ProjectQuery, Task, TaskInput, TaskQuery,
} from '../protocol/entities.ts';
import type { Json, JsonObject } from '../protocol/json.ts';
import type {
  ConfigValidation, HealthResult, HttpResponse, JobRun, StateKey, StateScope, ToolResult, ToolRun,
  WebhookInput, WebhookResult,
} from '../protocol/rpc.ts';

/** A value or a promise of it. */
export type Awaitable<T> = T | Promise<T>;

/** Removes a subscription; calling it again does nothing. */
export type Unsubscribe = () => void;

/**
 * Serves `usePluginData(key, params)` in this plugin's UI. `params` is the JSON value the UI
 * passed; the result must be a JSON value (at most 8 MiB as JSON, else `PAYLOAD_TOO_LARGE`).
 * `undefined` is sent as `null`.
 */
export type DataHandler<P = Json> = (params: P) => Awaitable<unknown>;

/** Serves `usePluginAction(key)(params)`; same rules as {@link DataHandler}. */
export type ActionHandler<P = Json> = (params: P) => Awaitable<unknown>;

/** Serves an agent tool declared in the manifest's `plinth.tools`. */
export type ToolHandler<P = Json> = (params: P, run: ToolRun) => Awaitable<ToolResult>;

/** Runs a job declared in `plinth.jobs`. A thrown error marks the run failed; it is not retried. */
export type JobHandler = (job: JobRun) => Awaitable<void>;

/** Receives an event (CONTRACT §3 envelope). */
export type EventHandler = (event: EventEnvelope) => Awaitable<void>;

/** `ctx.logger`: lines land in the plugin's log in Settings. `data` is any JSON value. */
export interface PluginLogger {
  debug(message: string, data?: Json): void;
  info(message: string, data?: Json): void;
  warn(message: string, data?: Json): void;
  error(message: string, data?: Json): void;
}

/** Options of `ctx.http.fetch`; `body` is text. */
export interface HttpFetchInit { method?: string; headers?: Record<string, string>; body?: string }

/** The context handed to `setup` (CONTRACT §5). Every async member rejects with a `PlinthError`. */
export interface PluginContext {
  /** The plugin id: the manifest's `name`. */
  readonly pluginId: string;
  /** The plugin's version from its manifest. */
  readonly version: string;
  /** The plugin's private writable folder, kept across upgrades (absolute path). */
  readonly dataDir: string;
  /** Writes to the plugin's log. Never throws; failures go to stderr. */
  readonly logger: PluginLogger;
  readonly config: {
    /** The current config; `format: "secret"` fields are left as references for `secrets.resolve`. */
    get(): Promise<JsonObject>;
  };
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
    set(key: StateKey, value: Json): Promise<void>;
    delete(key: StateKey): Promise<void>;
    /** All entries of one scope (and namespace, when given). */
    list(scope: StateScope): Promise<Array<{ key: StateKey; value: Json }>>;
  };
  /** Projects. [`projects.read`] for `list`/`get`, [`projects.write`] for the rest. */
  readonly projects: {
    list(query?: ProjectQuery): Promise<Page<Project>>;
    /** The project, or `null` when no project has this id. */
    get(id: string): Promise<Project | null>;
    create(input: ProjectInput): Promise<Project>;
    update(id: string, patch: Partial<ProjectInput>): Promise<Project>;
    delete(id: string): Promise<void>;
  };
  /** Tasks. [`tasks.read`] for `list`/`get`, [`tasks.write`] for the rest. */
  readonly tasks: {
    list(query?: TaskQuery): Promise<Page<Task>>;
    /** The task, or `null` when no task has this id. */
    get(id: string): Promise<Task | null>;
    create(input: TaskInput): Promise<Task>;
    update(id: string, patch: Partial<Omit<TaskInput, 'projectId'>>): Promise<Task>;
    delete(id: string): Promise<void>;
  };
  /** Comments. [`comments.read`] for `list`, [`comments.write`] for the rest. */
  readonly comments: {
    list(query: CommentQuery): Promise<Page<Comment>>;
    create(input: CommentInput): Promise<Comment>;
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
  readonly jobs: {
    /** Handles the job `jobKey` declared in `plinth.jobs`. [`jobs.schedule`] Refusals as for `events.on`. */
    register(jobKey: string, handler: JobHandler): void;
  };
  readonly http: {
    /** Fetches `url` through the host. [`http.outbound:<host>`] matching the URL's host; other hosts are refused. */
    fetch(url: string, init?: HttpFetchInit): Promise<HttpResponse>;
  };
  /** Pushes events to `usePluginStream(channel)` in this plugin's UI. */
  readonly streams: {
    open(channel: string): Promise<void>;
    emit(channel: string, event: Json): Promise<void>;
    close(channel: string): Promise<void>;
  };
  readonly tools: {
    /** Handles the tool `name` declared in `plinth.tools`. [`agent.tools.register`] Refusals as for `events.on`. */
    register<P = Json>(name: string, handler: ToolHandler<P>): void;
  };
  readonly data: {
    /** Serves `usePluginData(key)`. Registering a key twice throws `CONFLICT`. */
    register<P = Json>(key: string, handler: DataHandler<P>): void;
  };
  readonly actions: {
    /** Serves `usePluginAction(key)`. Registering a key twice throws `CONFLICT`. */
    register<P = Json>(key: string, handler: ActionHandler<P>): void;
  };
}

/**
 * A plugin (CONTRACT §5). Every member is optional; hooks are called as methods of the
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
