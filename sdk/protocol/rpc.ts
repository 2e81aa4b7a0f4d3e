/**
 * The host ⇄ worker RPC surface, read top to bottom (STYLE.md: one typed declaration per
 * boundary). Both maps are served with comlink over a per-transport endpoint adapter; only
 * JSON values cross. The plugin id of a worker→host call is bound to the connection by the
 * host, never sent by the worker.
 */
import type { Capability } from './capabilities.ts';
import type {
  ActivityEntry, Comment, CommentInput, CommentQuery, EventEnvelope, EventFilter, Page, PageQuery, Project,
  ProjectInput, ProjectQuery, Task, TaskInput, TaskQuery,
} from './entities.ts';
import type { Json, JsonObject } from './json.ts';

/** Major version of this wire protocol; a bundled SDK copy works while its major matches. */
export const PROTOCOL_VERSION = 1;

/** Identity of a state entry (docs/plugin-api.md §5). `scopeId` is required for `project` and `task` scopes. */
export interface StateKey {
  scopeKind: 'instance' | 'project' | 'task';
  scopeId?: string;
  namespace?: string;
  stateKey: string;
}
/** The scope argument of `ctx.state.list`. */
export type StateScope = Omit<StateKey, 'stateKey'>;

/** Log levels of `ctx.logger`. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** An outbound HTTP request made through the host (`ctx.http.fetch`). `body` is a string. */
export interface HttpRequest { url: string; method?: string; headers?: Record<string, string>; body?: string }
/** Its response; `body` is the response text. */
export interface HttpResponse { status: number; headers: Record<string, string>; body: string }

/** How `ctx.files` text crosses the wire: UTF-8 text as it is, or bytes as base64. */
export type FileEncoding = 'utf8' | 'base64';
/** Options of `ctx.files.read`. */
export interface FileReadOptions { encoding?: FileEncoding }
/** Options of `ctx.files.write`. */
export interface FileWriteOptions { encoding?: FileEncoding; append?: boolean }
/** One entry of `ctx.files.list` or the result of `ctx.files.stat`: `size` in bytes, `modifiedAt` ISO 8601 UTC. */
export interface FileStat { name: string; type: 'file' | 'directory'; size: number; modifiedAt: string }

/**
 * What `ctx.permissions.request` answers (API 1.1): the requested capabilities the plugin now
 * holds (granted at install, allowed now or earlier), in request order. A capability the user
 * denied, now or before, is absent.
 */
export type PermissionGrant = Capability[];

/** A job run handed to a job handler (docs/plugin-api.md §5). `scheduledAt` is ISO 8601 UTC. */
export interface JobRun { jobKey: string; runId: string; trigger: 'schedule' | 'manual' | 'retry'; scheduledAt: string }

/** Webhook input (docs/plugin-api.md §5). */
export interface WebhookInput {
  endpointKey: string; requestId: string; method: string;
  headers: Record<string, string>; query: Record<string, string>; body: string;
}
/** What `onWebhook` returns; `status` is the HTTP status the host answers with. */
export interface WebhookResult { status: number; body?: string; headers?: Record<string, string> }

/** Context of one tool call. */
export interface ToolRun { runId: string; agent?: string }
/** What a tool handler returns (docs/plugin-api.md §5). */
export interface ToolResult { content: string; data?: Json; isError?: boolean }

/** `onHealth` result (docs/plugin-api.md §5). */
export interface HealthResult { status: 'ok' | 'degraded' | 'error'; message?: string }
/** `onValidateConfig` result (docs/plugin-api.md §5). */
export interface ConfigValidation { ok: boolean; warnings: string[]; errors: string[] }

/** Everything the worker learns at start-up. `dataDir` is the plugin's private writable folder. */
export interface WorkerInit {
  pluginId: string;
  version: string;
  dataDir: string;
  config: JsonObject;
  protocolVersion: number;
}
/** What the worker reports after `setup`: the keys of the handlers it registered. */
export interface WorkerReady {
  data: string[]; actions: string[]; tools: string[]; jobs: string[];
  hooks: { health: boolean; validateConfig: boolean; configChanged: boolean; webhook: boolean; shutdown: boolean };
}

/**
 * Worker → host methods. Every one is checked against {@link HOST_API_CAPABILITIES} by the host.
 */
export interface HostApi {
  'log': (level: LogLevel, message: string, data?: Json) => void;
  'config.get': () => JsonObject;
  'secrets.resolve': (ref: string) => string;
  'state.get': (key: StateKey) => Json | null;
  'state.set': (key: StateKey, value: Json) => void;
  'state.delete': (key: StateKey) => void;
  'state.list': (scope: StateScope) => Array<{ key: StateKey; value: Json }>;
  'projects.list': (query?: ProjectQuery) => Page<Project>;
  'projects.get': (id: string) => Project | null;
  'projects.create': (input: ProjectInput) => Project;
  'projects.update': (id: string, patch: Partial<ProjectInput>) => Project;
  'projects.delete': (id: string) => void;
  'tasks.list': (query?: TaskQuery) => Page<Task>;
  'tasks.get': (id: string) => Task | null;
  'tasks.create': (input: TaskInput) => Task;
  'tasks.update': (id: string, patch: Partial<Omit<TaskInput, 'projectId'>>) => Task;
  'tasks.delete': (id: string) => void;
  'comments.list': (query: CommentQuery) => Page<Comment>;
  'comments.create': (input: CommentInput) => Comment;
  'comments.delete': (id: string) => void;
  'activity.list': (query?: PageQuery & { pluginId?: string }) => Page<ActivityEntry>;
  'events.subscribe': (subscriptionId: string, name: string, filter?: EventFilter) => void;
  'events.unsubscribe': (subscriptionId: string) => void;
  'events.emit': (name: string, payload: Json) => void;
  'jobs.register': (jobKey: string) => void;
  'tools.register': (name: string) => void;
  'http.fetch': (request: HttpRequest) => HttpResponse;
  'files.read': (path: string, options?: FileReadOptions) => string;
  'files.write': (path: string, data: string, options?: FileWriteOptions) => void;
  'files.list': (path?: string) => FileStat[];
  'files.delete': (path: string) => void;
  'files.stat': (path: string) => FileStat | null;
  /**
   * API 1.1: asks the user for capabilities of `plinth.optionalCapabilities` (docs/plugin-api.md §4).
   * Resolves when the user answered (Allow / Deny, remembered), at once for capabilities already
   * decided. `reason` (1..300 characters) is shown to the user.
   */
  'permissions.request': (capabilities: Capability[], reason: string) => PermissionGrant;
  /** API 1.1: the optional capabilities the user allowed and has not revoked. */
  'permissions.list': () => Capability[];
  'streams.open': (channel: string) => void;
  'streams.emit': (channel: string, event: Json) => void;
  'streams.close': (channel: string) => void;
}
/** A worker → host method name. */
export type HostMethod = keyof HostApi;

/**
 * The permission decision for every worker → host method: the capability it needs, `null`
 * for none, or `'http.outbound'` for "an `http.outbound:<host>` matching the URL".
 * Exhaustive by type, so a new method cannot compile without a decision (STYLE.md).
 */
export const HOST_API_CAPABILITIES: Record<HostMethod, Capability | null | 'http.outbound'> = {
  'log': null,
  'config.get': null,
  'secrets.resolve': 'secrets.read-ref',
  'state.get': 'plugin.state.read',
  'state.list': 'plugin.state.read',
  'state.set': 'plugin.state.write',
  'state.delete': 'plugin.state.write',
  'projects.list': 'projects.read',
  'projects.get': 'projects.read',
  'projects.create': 'projects.write',
  'projects.update': 'projects.write',
  'projects.delete': 'projects.write',
  'tasks.list': 'tasks.read',
  'tasks.get': 'tasks.read',
  'tasks.create': 'tasks.write',
  'tasks.update': 'tasks.write',
  'tasks.delete': 'tasks.write',
  'comments.list': 'comments.read',
  'comments.create': 'comments.write',
  'comments.delete': 'comments.write',
  'activity.list': 'activity.read',
  'events.subscribe': 'events.subscribe',
  'events.unsubscribe': null,
  'events.emit': 'events.emit',
  'jobs.register': 'jobs.schedule',
  'tools.register': 'agent.tools.register',
  'http.fetch': 'http.outbound',
  // A plugin's own ctx.dataDir needs no capability (docs/plugin-api.md §1: every plugin has one).
  'files.write': null,
  'files.stat': null,
  'files.list': null,
  'files.read': null,
  'files.delete': null,
  // Asking is free; what is granted is checked on each later call like any capability.
  'permissions.request': null,
  'permissions.list': null,
  'streams.open': null,
  'streams.emit': null,
  'streams.close': null,
};

/** What `event.deliverBatch` reports: the events whose handler threw, by index in the batch, with the error message. */
export interface EventBatchResult { failed: Array<{ index: number; message: string }> }

/** Host → worker methods, served by the worker runtime in `@plinth/sdk`. */
export interface WorkerApi {
  /** Runs the plugin's `setup(ctx)`; the host gives it {@link SETUP_BUDGET_MS}. */
  'init': (init: WorkerInit) => WorkerReady;
  'data.get': (key: string, params: Json) => Json;
  'action.perform': (key: string, params: Json) => Json;
  'tool.call': (name: string, params: Json, run: ToolRun) => ToolResult;
  'job.run': (job: JobRun) => void;
  'event.deliver': (subscriptionId: string, event: EventEnvelope) => void;
  /**
   * Delivers the events queued for one subscription in one message, to its handler one after
   * another in order (each awaited); a handler that throws fails only its event.
   */
  'event.deliverBatch': (subscriptionId: string, events: EventEnvelope[]) => EventBatchResult;
  'webhook.handle': (input: WebhookInput) => WebhookResult;
  'health': () => HealthResult;
  'config.validate': (config: JsonObject) => ConfigValidation;
  /** Returns `false` when the plugin has no `onConfigChanged` (the host restarts it instead). */
  'config.changed': (config: JsonObject) => boolean;
  /** Heartbeat: answers with the worker's `Date.now()`; no answer means a blocked event loop. */
  'ping': () => number;
  /** Runs `onShutdown`; the host kills the process after {@link SHUTDOWN_GRACE_MS}. */
  'shutdown': () => void;
}
/** A host → worker method name. */
export type WorkerMethod = keyof WorkerApi;

/**
 * Host → worker methods every worker runtime must serve: checked when a worker starts
 * (sdk/worker/serve.ts refuses to serve without one), and exhaustive by the type check below.
 */
export const WORKER_API_METHODS = [
  'init', 'data.get', 'action.perform', 'tool.call', 'job.run', 'event.deliver', 'event.deliverBatch', 'webhook.handle',
  'health', 'config.validate', 'config.changed', 'ping', 'shutdown',
] as const satisfies readonly WorkerMethod[];
/** Compile-time proof that {@link WORKER_API_METHODS} names every `WorkerApi` method. */
const _everyWorkerMethodListed: [Exclude<WorkerMethod, (typeof WORKER_API_METHODS)[number]>] extends [never] ? true : never = true;
void _everyWorkerMethodListed;

/** `setup` must finish within this, or the plugin goes to `error` (10 s activation budget). */
export const SETUP_BUDGET_MS = 10_000;
/** Default timeout of every host → worker call; the caller gets `TIMEOUT`. */
export const CALL_TIMEOUT_MS = 30_000;
/** `onShutdown` gets this long before the process is killed. */
export const SHUTDOWN_GRACE_MS = 5_000;
/** Largest RPC message in either direction (8 MiB); larger ones fail with `PAYLOAD_TOO_LARGE`. */
export const MAX_MESSAGE_BYTES = 8 * 1024 * 1024;
/** Default heap cap of a worker in MB (`--max-old-space-size`). */
export const DEFAULT_WORKER_HEAP_MB = 256;
