/**
 * The public state names of a plugin (docs/plugin-api.md §9), shared by the host core, the shell, the
 * renderer and the author kit. Type-only: the transition rules live in main/host/lifecycle.ts.
 */

/** Lifecycle states of docs/plugin-api.md §9. */
export type LifecycleState = 'installed' | 'ready' | 'disabled' | 'error' | 'upgrade_pending' | 'uninstalled';
/** Runtime state of a plugin's worker process. */
export type RuntimeState = 'stopped' | 'starting' | 'running' | 'backoff' | 'crashed';
/** Where a plugin comes from: shipped with the app, installed from a `.tgz`, or loaded in place from a folder. */
export type PluginSource = 'bundled' | 'user' | 'unpacked';
