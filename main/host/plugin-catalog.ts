/**
 * The host's view of every plugin, put together from its parts, each a file of its own:
 * - plugin-record.ts: the records by id joined with their registry rows, and lifecycle events
 *   applied through the one state machine (lifecycle.ts);
 * - plugin-discovery.ts: discovery of the plugin folders and reconcile of their registry rows;
 * - plugin-consent.ts: what a plugin declares, what the user approved, what it may use now;
 * - plugin-activation.ts: starting a ready plugin's worker when it is needed.
 * The shell builds its summaries from it (main/shell/plugin-views.ts).
 */
import { createActivation, type ActivationDeps, type ActivationPermissions } from './plugin-activation.ts';
import { createConsent } from './plugin-consent.ts';
import { createDiscovery, type DiscoveryDeps } from './plugin-discovery.ts';
import { createCatalogCore } from './plugin-record.ts';

export { declared, type PluginRecord } from './plugin-record.ts';
export { MANIFEST_CACHE_FILE } from './plugin-discovery.ts';

/** What the catalog needs from the host: what its discovery and its activation need. */
export type CatalogDeps = Omit<DiscoveryDeps, 'core' | 'consent'> & Omit<ActivationDeps, 'core' | 'consent'>;

/** The parts of the permissions module (main/host/permissions) the catalog uses. */
export type CatalogPermissions = ActivationPermissions;

/** The plugin catalog. */
export type Catalog = ReturnType<typeof createCatalog>;

/** Creates the catalog; `discover()` fills it. */
export function createCatalog(deps: CatalogDeps) {
  const core = createCatalogCore(deps.registry);
  const consent = createConsent({ core, permissions: deps.permissions });
  const { discover } = createDiscovery({ ...deps, core, consent });
  const activation = createActivation({ ...deps, core, consent });
  return { ...core, ...consent, discover, ...activation };
}
