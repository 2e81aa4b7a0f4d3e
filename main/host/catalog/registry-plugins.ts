/**
 * Plugins from npm registries: search and details for Settings → Plugins → Browse, install of
 * `name[@version]` (downloaded, checked against `dist.integrity`, then handed to the installer
 * exactly like a `.tgz` the user picked, so the same validation and consent apply), update
 * checks, pins, and the registry preferences with their tokens. What each plugin came from is
 * recorded in `plugin_origins`.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import npa from 'npm-package-arg';
import semver from 'semver';
import type {
  CatalogDetails, CatalogSearchResult, InstallProgress, PluginOriginView,
  RegistryPreferencesView, UpdateCheckReport,
} from '@plinth/sdk/protocol/registry-catalog';
import { capabilityWords } from '@plinth/sdk/protocol/capabilities';
import { PlinthError } from '@plinth/sdk/protocol/errors';
import type { Db } from '../db/database.ts';
import type { InstallOptions } from '../install/index.ts';
import type { InstallRef } from '../plugin-management.ts';
import type { PreferencesStore } from '../preferences.ts';
import type { Registry } from '../registry.ts';
import type { SecretStore } from '../services/secrets/secret-store.ts';
import { createPluginOrigins, createRegistryTokens, type PluginOrigins } from './origins.ts';
import { createRegistryClient, type Packument, type PackumentVersion, type RegistryClient } from './registry-client.ts';
import { normaliseRegistryUrl, type RegistrySettings } from './registry-settings.ts';
import { enginesSatisfied, selectForInstall } from './select-version.ts';
import { checkForUpdates } from './update-check.ts';

/** What the registry plugins need from the host. */
export interface RegistryPluginsDeps {
  db: Db;
  secretStore: SecretStore;
  preferences: PreferencesStore;
  registry: Registry;
  /** Scratch folder on the profile's disk (emptied at start-up). */
  tempDir: string;
  /** The host's install of a `.tgz` (validation, consent, upgrade_pending, worker restart). */
  installFile(file: string, options: InstallOptions): Promise<InstallRef>;
  hostApiVersion: string;
  /** The proxy for a URL (Electron: the session's resolved proxy); default: npm's env variables. */
  proxyFor?(url: string): Promise<string | null | undefined>;
  /**
   * Called when a plugin's origin view may have changed: for each plugin an update check looked
   * at (update, yanked, skipped), and after a pin or unpin.
   */
  onOriginChanged?(id: string): void;
  now?: () => Date;
}

/** Options of {@link RegistryPlugins.install}. */
export interface RegistryInstallOptions {
  onProgress?(progress: InstallProgress): void;
  allowDowngrade?: boolean;
}

/**
 * Splits `name[@version|@range|@tag]` with npm's own parser.
 * @throws PlinthError `INVALID_INPUT` for anything that is not a registry package spec
 */
export function parsePackageSpec(spec: string): { name: string; fetchSpec: string | undefined } {
  let parsed: ReturnType<typeof npa>;
  try {
    parsed = npa(spec.trim());
  } catch (error) {
    throw new PlinthError('INVALID_INPUT', `"${spec}" is not a package name: ${(error as Error).message}`);
  }
  if (!parsed.registry || !parsed.name) throw new PlinthError('INVALID_INPUT', `"${spec}" is not a registry package (expected name or name@version)`);
  const fetchSpec = parsed.rawSpec === '' || parsed.rawSpec === '*' ? undefined : (parsed.fetchSpec ?? undefined);
  return { name: parsed.name, fetchSpec };
}

/** Creates the registry plugins service over the host's database and installer. */
export function createRegistryPlugins(deps: RegistryPluginsDeps) {
  const now = deps.now ?? (() => new Date());
  const origins: PluginOrigins = createPluginOrigins(deps.db);
  const tokens = createRegistryTokens(deps.db, deps.secretStore);
  const available = new Map<string, string>();
  const yanked = new Map<string, string>();
  const skipped = new Map<string, { version: string; reason: string }>();
  const settings = (): RegistrySettings => {
    const p = deps.preferences.get();
    return { url: p.registryUrl, scopes: p.registryScopes };
  };
  const client: RegistryClient = createRegistryClient(settings, {
    token: (url) => tokens.get(url),
    ...(deps.proxyFor ? { proxyFor: deps.proxyFor } : {}),
  });
  const present = (id: string) => {
    const e = deps.registry.get(id);
    return e && e.state !== 'uninstalled' ? e : undefined;
  };

  async function install(spec: string, options: RegistryInstallOptions = {}): Promise<InstallRef & { version: string; integrity: string; registry: string }> {
    const { name, fetchSpec } = parsePackageSpec(spec);
    const progress = (p: Omit<InstallProgress, 'name'>) => options.onProgress?.({ name, ...p });
    progress({ phase: 'resolving', received: 0, total: null });
    const dir = path.join(deps.tempDir, 'downloads');
    const file = path.join(dir, `${randomUUID()}.tgz`);
    try {
      const doc = selectForInstall(await client.packument(name), fetchSpec, deps.hostApiVersion);
      await mkdir(dir, { recursive: true });
      const { integrity } = await client.download(doc, file, ({ received, total }) => progress({ phase: 'downloading', received, total, version: doc.version }));
      progress({ phase: 'installing', received: 0, total: null, version: doc.version });
      const before = present(name)?.version;
      const result = await deps.installFile(file, { expect: { name, version: doc.version }, ...(options.allowDowngrade ? { allowDowngrade: true } : {}) });
      const registry = client.registryFor(name);
      if (result.outcome === 'upgrade_pending') origins.stage(name, registry, before ?? doc.version, { version: doc.version, integrity }, now());
      else origins.recordInstall({ id: name, registry, version: doc.version, integrity }, now());
      available.delete(name);
      yanked.delete(name);
      skipped.delete(name);
      progress({ phase: 'done', received: 0, total: null, version: doc.version });
      return { ...result, version: doc.version, integrity, registry };
    } catch (error) {
      progress({ phase: 'failed', received: 0, total: null, error: (error as Error).message });
      throw error;
    } finally {
      await rm(file, { force: true });
    }
  }

  function details(name: string, packument: Packument): CatalogDetails {
    let chosen: PackumentVersion | null = null;
    let unavailableReason: string | null = null;
    try {
      chosen = selectForInstall(packument, undefined, deps.hostApiVersion);
    } catch (error) {
      unavailableReason = (error as Error).message;
    }
    const shown = chosen ?? packument.versions[packument['dist-tags']?.latest ?? ''] ?? null;
    const entry = present(name);
    const declared = Array.isArray(shown?.plinth?.capabilities) ? (shown.plinth.capabilities as string[]) : [];
    const approved = entry?.approvedCapabilities;
    const order = entry && chosen && semver.valid(entry.version) ? semver.compare(chosen.version, entry.version) : 1;
    const author = shown?.author;
    return {
      name, registry: client.registryFor(name),
      version: chosen?.version ?? null, unavailableReason,
      displayName: typeof shown?.plinth?.displayName === 'string' ? shown.plinth.displayName : name,
      description: shown?.description ?? '',
      author: typeof author === 'string' ? author : typeof (author as { name?: unknown })?.name === 'string' ? (author as { name: string }).name : null,
      readme: typeof packument.readme === 'string' ? packument.readme : '',
      capabilities: capabilityWords(declared),
      optionalCapabilities: capabilityWords(shown?.plinth?.optionalCapabilities),
      engines: { range: shown?.engines?.plinth ?? null, satisfied: shown ? enginesSatisfied(shown, deps.hostApiVersion) : false, hostApiVersion: deps.hostApiVersion },
      versions: Object.values(packument.versions).filter((v) => semver.valid(v.version)).sort((a, b) => semver.rcompare(a.version, b.version)).map((v) => ({
        version: v.version, deprecated: v.deprecated ?? null, enginesSatisfied: enginesSatisfied(v, deps.hostApiVersion),
        publishedAt: packument.time?.[v.version] ?? null,
      })),
      installed: entry ? { version: entry.version, state: entry.state, source: entry.source } : null,
      action: !chosen ? 'blocked' : !entry ? 'install' : order > 0 ? 'upgrade' : order === 0 ? 'reinstall' : 'downgrade',
      addedCapabilities: entry && approved ? capabilityWords(declared.filter((c) => !approved.includes(c))) : [],
    };
  }

  const service = {
    client,
    /** Searches the default registry for plugins. @throws PlinthError see `registryError` */
    async search(text: string): Promise<CatalogSearchResult> {
      const hits = await client.search(text);
      return {
        registry: normaliseRegistryUrl(settings().url),
        hits: hits.map((h) => ({ ...h, installedVersion: present(h.name)?.version ?? null })),
      };
    },
    /** A package's details before install: chosen version, capabilities, engines, README. */
    async details(name: string): Promise<CatalogDetails> {
      const { name: parsed } = parsePackageSpec(name);
      return details(parsed, await client.packument(parsed));
    },
    install,
    /**
     * Checks every registry plugin for updates (see `update-check.ts`); each plugin it looked at
     * is then reported to `onOriginChanged`, so every open window shows the check's outcome.
     */
    async checkForUpdates(options: { startup?: boolean } = {}): Promise<UpdateCheckReport> {
      const report = await checkForUpdates({
        origins, client, registry: deps.registry, hostApiVersion: deps.hostApiVersion, now,
        mode: options.startup ? 'immediately' : deps.preferences.get().updateInstall,
        install: (spec) => install(spec), available, yanked, skipped,
      });
      for (const item of report.items) deps.onOriginChanged?.(item.id);
      return report;
    },
    /**
     * Pins `id` at `version` (installing that version first when another is installed; an older
     * one counts as the user's confirmed downgrade), or unpins with `null`.
     * @throws PlinthError `NOT_FOUND` not installed from a registry
     */
    async pin(id: string, version: string | null): Promise<PluginOriginView> {
      const origin = origins.get(id);
      if (!origin || !present(id)) throw new PlinthError('NOT_FOUND', `"${id}" was not installed from a registry, so it has no version to pin`, { id });
      if (version !== null && version !== present(id)?.version) await install(`${id}@${version}`, { allowDowngrade: true });
      origins.pin(id, version === null ? null : present(id)?.version ?? version);
      if (version !== null) available.delete(id);
      deps.onOriginChanged?.(id);
      return service.origin(id)!;
    },
    /** The origin of `id` for its summary, if it came from a registry. */
    origin(id: string): PluginOriginView | undefined {
      const o = origins.get(id);
      if (!o || !o.integrity) return undefined;
      return {
        registry: o.registry, version: o.version, integrity: o.integrity, pinnedVersion: o.pinnedVersion,
        updateAvailable: available.get(id) ?? null, installedYanked: yanked.get(id) ?? null, updateSkipped: skipped.get(id) ?? null, checkedAt: o.checkedAt, checkError: o.checkError,
      };
    },
    /** The plugin was installed from a file: it no longer has a registry origin. */
    forget(id: string): void { origins.remove(id); available.delete(id); skipped.delete(id); },
    /** The user approved a staged upgrade: a staged registry version becomes the installed one. */
    approved(id: string): void { origins.promoteStaged(id, now()); },
    /** The user declined a staged upgrade. */
    declined(id: string): void { origins.clearStaged(id); },
    /** The registry preferences, with the registries that have a token (never the tokens). */
    registryPreferences(): RegistryPreferencesView {
      const s = settings();
      return { url: normaliseRegistryUrl(s.url), scopes: s.scopes, tokens: tokens.registries() };
    },
    /**
     * Saves the registry URL and scopes, and stores (`string`) or deletes (`null`) the token of
     * `token.registry`. @throws PlinthError `INVALID_INPUT` naming the bad field; nothing saved then
     */
    setRegistryPreferences(patch: { url?: string; scopes?: Record<string, string>; token?: { registry: string; value: string | null } }): RegistryPreferencesView {
      const url = patch.url === undefined ? undefined : normaliseRegistryUrl(patch.url);
      const scopes = patch.scopes === undefined ? undefined
        : Object.fromEntries(Object.entries(patch.scopes).map(([scope, u]) => [scope.trim(), normaliseRegistryUrl(u)]));
      const tokenRegistry = patch.token ? normaliseRegistryUrl(patch.token.registry) : undefined;
      deps.preferences.set({ ...(url ? { registryUrl: url } : {}), ...(scopes ? { registryScopes: scopes } : {}) });
      if (patch.token && tokenRegistry) tokens.set(tokenRegistry, patch.token.value, now());
      return service.registryPreferences();
    },
  };
  return service;
}

/** The registry plugins service. */
export type RegistryPlugins = ReturnType<typeof createRegistryPlugins>;
