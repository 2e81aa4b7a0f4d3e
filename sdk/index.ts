/**
 * `@plinth/sdk`: the worker API of a Plinth plugin (docs/plugin-api.md §5).
 *
 * ```js
 * import { definePlugin, runWorker } from '@plinth/sdk';
 * const plugin = definePlugin({ async setup(ctx) { ctx.data.register('counts', async () => ({ todo: 3 })); } });
 * export default plugin;
 * runWorker(plugin, import.meta.url);
 * ```
 *
 * The host provides this module to every worker, so plugins need no `node_modules`.
 * This entry is side-effect free: importing it anywhere (tests, tools) starts nothing.
 */
export { definePlugin, runWorker } from './worker/define.ts';
export type {
  ActionHandler, Awaitable, DataHandler, HandlerParams, EventHandler, HttpFetchInit, JobHandler, PluginContext, PluginDefinition,
  PluginLogger, ToolHandler, Unsubscribe,
} from './worker/types.ts';
export { PlinthError, hasCode, ERROR_CODES } from './protocol/errors.ts';
export type { ErrorCode } from './protocol/errors.ts';
export { PROTOCOL_VERSION } from './protocol/rpc.ts';
export type {
  ConfigValidation, FileEncoding, FileReadOptions, FileStat, FileWriteOptions, HealthResult, HttpRequest, HttpResponse, JobRun, LogLevel, StateKey, StateScope, ToolResult, ToolRun,
  WebhookInput, WebhookResult,
} from './protocol/rpc.ts';
export type {
  ActivityEntry, Comment, CommentInput, CommentQuery, EventEnvelope, EventFilter, Page, PageQuery, Project, ProjectInput, ProjectQuery,
  Task, TaskInput, TaskPriority, TaskQuery, TaskStatus,
} from './protocol/entities.ts';
export type { Json, JsonObject } from './protocol/json.ts';
export type { Capability } from './protocol/capabilities.ts';
