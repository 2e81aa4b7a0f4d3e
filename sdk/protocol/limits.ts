/**
 * Size limits shared across the boundaries: the IPC method table (preload/main-methods.ts), the
 * host core (workspace, the worker → host schemas of the capability guard) and the frame message
 * validator (renderer/src/frame-messages.ts) import them from here, so one limit has one value. Lengths are in characters (UTF-16 code units) unless the name
 * says bytes.
 */

/** Longest plugin id: npm's package name limit (214 characters). */
export const MAX_PLUGIN_ID_LENGTH = 214;
/** Longest data/action/job key or stream channel the shell sends; keys are short identifiers chosen by the plugin author. */
export const MAX_KEY_LENGTH = 200;
/**
 * Longest id, key, name, namespace or channel string a worker sends to the host (characters),
 * checked by the worker → host schemas before the capability guard. Larger than
 * {@link MAX_KEY_LENGTH} because a worker's state keys and namespaces are often built from data
 * (ids joined with prefixes), not only chosen by hand; longer ones are surely a bug.
 */
export const MAX_WORKER_NAME_LENGTH = 512;
/** Longest file-system path accepted (Linux PATH_MAX, 4096). */
export const MAX_PATH_LENGTH = 4096;
/** Longest opaque id or cursor the shell sends back (subscription ids, activity cursors). */
export const MAX_TOKEN_LENGTH = 1000;
/** Most activity entries one page of the Activity view may ask for. */
export const MAX_ACTIVITY_PAGE = 500;

/** Longest project name or task title (characters): a line of text, not a document. */
export const MAX_TITLE_LENGTH = 500;
/** Largest project/task description or comment body (bytes, UTF-8): room for long notes, not files. */
export const MAX_TEXT_BYTES = 100 * 1024;
/** Longest id the workspace accepts (characters); its own ids are 36-character UUIDs. */
export const MAX_ID_LENGTH = 200;

/** Longest published tool name (characters): the common MCP client limit (OpenAI function names, Claude tool names). */
export const MAX_QUALIFIED_TOOL_NAME = 64;
/** Longest version, range or tag the shell sends for a registry package: a pin, or what follows the name in `name@<spec>` (with its `@`). */
export const MAX_VERSION_SPEC_LENGTH = 64;
/** Widgets one dashboard layout may name (20 plugins × a few widgets, with room). */
export const MAX_DASHBOARD_ENTRIES = 200;

/** Most capabilities one `ctx.permissions.request` may name: a prompt the user can read at a glance. */
export const MAX_REQUESTED_CAPABILITIES = 10;
/** Longest reason of a permission request (characters): two sentences in the prompt, not a page. */
export const MAX_PERMISSION_REASON = 300;
