/**
 * The host's view of every plugin, made of four parts, each a file of its own, which
 * started-host.ts builds in this order:
 * - plugin-record.ts: the records by id joined with their registry rows, and lifecycle events
 *   applied through the one state machine (lifecycle.ts);
 * - plugin-consent.ts: what a plugin declares, what the user approved, what it may use now;
 * - plugin-activation.ts: starting a ready plugin's worker when it is needed;
 * - plugin-discovery.ts: discovery of the plugin folders and reconcile of their registry rows.
 * The shell builds its summaries from it (main/shell/plugin-views.ts).
 */
import type { Activation, ActivationPermissions } from './plugin-activation.ts';
import type { Consent } from './plugin-consent.ts';
import type { Discovery } from './plugin-discovery.ts';
import type { CatalogCore } from './plugin-record.ts';

export { declared, type PluginRecord } from './plugin-record.ts';
export { MANIFEST_CACHE_FILE } from './plugin-discovery.ts';

/** The parts of the permissions module (main/host/permissions) the catalog uses. */
export type CatalogPermissions = ActivationPermissions;

/** The plugin catalog: its four parts in one object. */
export type Catalog = CatalogCore & Consent & Activation & Discovery;
