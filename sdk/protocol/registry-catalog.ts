/**
 * Plugin packages on npm registries as the host reports them: search results, a package's
 * details before install, install progress, where an installed plugin came from, update checks
 * and the registry preferences. Plain JSON that the host core (main/host/catalog/) returns and
 * the shell shows unchanged, so both import it from here; preload/api.ts re-exports it for the
 * renderer. Times are ISO 8601 UTC strings, sizes bytes.
 */
import type { CapabilityWords } from './capabilities.ts';
import type { LifecycleState, PluginSource } from './lifecycle.ts';

export type { CapabilityWords };

/**
 * Path of the app origin's README image route, `/readme-image?url=<urlencoded https URL>`: the
 * main process fetches the image (main/shell/app-protocol.ts) and the shell points README images
 * at it only when the user allows remote images.
 */
export const README_IMAGE_PATH = '/readme-image';

/** One search result of Settings → Plugins → Browse. */
export interface CatalogHit {
  name: string;
  version: string;
  description: string;
  author: string | null;
  /** Downloads last week, when the registry reports them (the public npm registry does). */
  weeklyDownloads: number | null;
  /** The version installed now, if any. */
  installedVersion: string | null;
}

/** The result of a search. */
export interface CatalogSearchResult { registry: string; hits: CatalogHit[] }

/** One published version, newest first in {@link CatalogDetails.versions}. */
export interface CatalogVersion { version: string; deprecated: string | null; enginesSatisfied: boolean; publishedAt: string | null }

/** A package as the Browse tab's detail pane shows it, before anything is downloaded. */
export interface CatalogDetails {
  name: string;
  registry: string;
  /** The version Install would take (latest that fits), or `null` when none fits this Plinth. */
  version: string | null;
  /** Why no version fits, when `version` is `null`. */
  unavailableReason: string | null;
  displayName: string;
  description: string;
  author: string | null;
  /** The README as Markdown (the shell renders it sanitised). */
  readme: string;
  /** What the chosen version will ask for, in plain words. */
  capabilities: CapabilityWords[];
  /** Capabilities it may ask for later, while running. */
  optionalCapabilities: CapabilityWords[];
  /** Its `engines.plinth` range and whether this Plinth's plugin API satisfies it. */
  engines: { range: string | null; satisfied: boolean; hostApiVersion: string };
  versions: CatalogVersion[];
  installed: { version: string; state: LifecycleState; source: PluginSource } | null;
  /** What Install would do given what is installed. */
  action: 'install' | 'upgrade' | 'reinstall' | 'downgrade' | 'blocked';
  /** Capabilities beyond those approved for the installed version (an upgrade needing consent). */
  addedCapabilities: CapabilityWords[];
}

/** Progress of an install from a registry (`total` `null` when the registry sent no length). */
export interface InstallProgress {
  name: string;
  phase: 'resolving' | 'downloading' | 'installing' | 'done' | 'failed';
  received: number;
  total: number | null;
  version?: string;
  /** With `failed`: what went wrong. */
  error?: string;
}

/** Where a registry-installed plugin came from (on its summary). */
export interface PluginOriginView {
  registry: string;
  version: string;
  integrity: string;
  pinnedVersion: string | null;
  /** A newer version found by the last check, installed on the next start (preference). */
  updateAvailable: string | null;
  /** The publisher deprecated or unpublished the installed version since. */
  installedYanked: string | null;
  /** A newer version the last check did not install, and why (deprecated by its publisher, or needs another plugin API). */
  updateSkipped: { version: string; reason: string } | null;
  checkedAt: string | null;
  checkError: string | null;
}

/** What an update check did for one plugin. */
export interface UpdateCheckItem {
  id: string;
  from: string;
  to: string | null;
  status: 'current' | 'pinned' | 'upgraded' | 'upgrade_pending' | 'available' | 'failed';
  addedCapabilities: CapabilityWords[];
  /** A newer version passed over, and why (never installed silently). */
  skipped?: { version: string; reason: string };
  error?: string;
}

/** The result of an update check. */
export interface UpdateCheckReport { checkedAt: string; items: UpdateCheckItem[] }

/** The registry preferences as the shell edits them; tokens are write-only. */
export interface RegistryPreferencesView {
  url: string;
  scopes: Record<string, string>;
  /** Registries that have a stored token (the token itself never leaves main). */
  tokens: string[];
}
