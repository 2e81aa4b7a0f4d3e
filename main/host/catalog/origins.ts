/**
 * The `plugin_origins` and `registry_tokens` tables (migration 005): where each registry-installed
 * plugin came from, its pin and last update check; and each registry's auth token, encrypted.
 */
import { PlinthError } from '@plinth/sdk/protocol/errors';
import type { Db } from '../db/database.ts';
import type { SecretStore } from '../services/secrets/secret-store.ts';

/** Where a plugin was installed from. Times are ISO 8601 UTC strings. */
export interface PluginOrigin {
  id: string;
  /** The registry URL (normalised, trailing slash). */
  registry: string;
  /** The installed version. */
  version: string;
  /** The tarball's SRI hash as the registry published it and the download matched. */
  integrity: string;
  /** A version the user pinned: updates are not offered while set. */
  pinnedVersion: string | null;
  /** A downloaded version waiting in `upgrade_pending` for consent, and its integrity. */
  staged: { version: string; integrity: string } | null;
  installedAt: string;
  /** Last update check, and its error when it failed. */
  checkedAt: string | null;
  checkError: string | null;
}

interface Row {
  plugin_id: string; registry: string; version: string; integrity: string; pinned_version: string | null;
  staged_version: string | null; staged_integrity: string | null; installed_at: string; checked_at: string | null; check_error: string | null;
}

const fromRow = (r: Row): PluginOrigin => ({
  id: r.plugin_id, registry: r.registry, version: r.version, integrity: r.integrity, pinnedVersion: r.pinned_version,
  staged: r.staged_version && r.staged_integrity ? { version: r.staged_version, integrity: r.staged_integrity } : null,
  installedAt: r.installed_at, checkedAt: r.checked_at, checkError: r.check_error,
});

/** Typed access to `plugin_origins`. */
export interface PluginOrigins {
  get(id: string): PluginOrigin | undefined;
  all(): PluginOrigin[];
  /** Records an install or update from a registry (keeps the pin). */
  recordInstall(origin: Pick<PluginOrigin, 'id' | 'registry' | 'version' | 'integrity'>, at: Date): PluginOrigin;
  /** Sets or clears (`null`) the pinned version. @throws PlinthError `NOT_FOUND` not from a registry */
  pin(id: string, version: string | null): PluginOrigin;
  /** Records an update check's time and its error (`null`: it worked). */
  recordCheck(id: string, at: Date, error: string | null): void;
  /**
   * Records a downloaded version staged for consent. A plugin installed from a file has no
   * origin yet: one is made with its current version and an empty integrity.
   */
  stage(id: string, registry: string, currentVersion: string, staged: { version: string; integrity: string }, at: Date): void;
  /** The staged version was approved: it is the installed one now. No-op without one. */
  promoteStaged(id: string, at: Date): void;
  /** The staged version was declined or replaced. */
  clearStaged(id: string): void;
  /** Forgets the origin (the plugin was installed again from a file). */
  remove(id: string): void;
}

/** Creates the accessor over the host database (after migration 005). */
export function createPluginOrigins(db: Db): PluginOrigins {
  const getStmt = db.prepare<[string], Row>('SELECT * FROM plugin_origins WHERE plugin_id = ?');
  const allStmt = db.prepare<[], Row>('SELECT * FROM plugin_origins ORDER BY plugin_id');
  const upsert = db.prepare(`INSERT INTO plugin_origins (plugin_id, registry, version, integrity, installed_at)
    VALUES (@id, @registry, @version, @integrity, @at)
    ON CONFLICT (plugin_id) DO UPDATE SET registry = @registry, version = @version, integrity = @integrity,
      installed_at = @at, check_error = NULL, staged_version = NULL, staged_integrity = NULL`);
  const stageStmt = db.prepare(`INSERT INTO plugin_origins (plugin_id, registry, version, integrity, installed_at, staged_version, staged_integrity)
    VALUES (@id, @registry, @version, '', @at, @sv, @si)
    ON CONFLICT (plugin_id) DO UPDATE SET registry = @registry, staged_version = @sv, staged_integrity = @si`);
  const promoteStmt = db.prepare(`UPDATE plugin_origins SET version = staged_version, integrity = staged_integrity, installed_at = ?,
    staged_version = NULL, staged_integrity = NULL WHERE plugin_id = ? AND staged_version IS NOT NULL`);
  const clearStmt = db.prepare('UPDATE plugin_origins SET staged_version = NULL, staged_integrity = NULL WHERE plugin_id = ?');
  const pinStmt = db.prepare('UPDATE plugin_origins SET pinned_version = ? WHERE plugin_id = ?');
  const checkStmt = db.prepare('UPDATE plugin_origins SET checked_at = ?, check_error = ? WHERE plugin_id = ?');
  const removeStmt = db.prepare('DELETE FROM plugin_origins WHERE plugin_id = ?');
  const get = (id: string) => {
    const row = getStmt.get(id);
    return row ? fromRow(row) : undefined;
  };
  return {
    get,
    all: () => allStmt.all().map(fromRow),
    recordInstall(o, at) {
      upsert.run({ id: o.id, registry: o.registry, version: o.version, integrity: o.integrity, at: at.toISOString() });
      return get(o.id)!;
    },
    pin(id, version) {
      if (pinStmt.run(version, id).changes === 0) throw new PlinthError('NOT_FOUND', `"${id}" was not installed from a registry, so it has no version to pin`, { id });
      return get(id)!;
    },
    recordCheck(id, at, error) { checkStmt.run(at.toISOString(), error, id); },
    stage(id, registry, currentVersion, staged, at) {
      stageStmt.run({ id, registry, version: currentVersion, at: at.toISOString(), sv: staged.version, si: staged.integrity });
    },
    promoteStaged(id, at) { promoteStmt.run(at.toISOString(), id); },
    clearStaged(id) { clearStmt.run(id); },
    remove(id) { removeStmt.run(id); },
  };
}

/** Registry auth tokens, encrypted with the app's secret store; never returned to the renderer. */
export interface RegistryTokens {
  /** The token of `registry`, decrypted; `undefined` when none is stored or it cannot be decrypted. */
  get(registry: string): string | undefined;
  /** Stores (or with `null` deletes) the token of `registry`. @throws PlinthError `NOT_READY` the store cannot encrypt */
  set(registry: string, token: string | null, at: Date): void;
  /** Registries that have a token. */
  registries(): string[];
}

/** Creates the token store over the host database and a secret store. */
export function createRegistryTokens(db: Db, store: SecretStore): RegistryTokens {
  const getStmt = db.prepare<[string], { cipher: string; store_kind: string }>('SELECT cipher, store_kind FROM registry_tokens WHERE registry = ?');
  const putStmt = db.prepare(`INSERT OR REPLACE INTO registry_tokens (registry, cipher, store_kind, updated_at) VALUES (?, ?, ?, ?)`);
  const delStmt = db.prepare('DELETE FROM registry_tokens WHERE registry = ?');
  const listStmt = db.prepare<[], { registry: string }>('SELECT registry FROM registry_tokens ORDER BY registry');
  return {
    get(registry) {
      const row = getStmt.get(registry);
      if (!row || row.store_kind !== store.kind) return undefined;
      try {
        return store.decrypt(row.cipher);
      } catch {
        return undefined;
      }
    },
    set(registry, token, at) {
      if (token === null || token === '') delStmt.run(registry);
      else putStmt.run(registry, store.encrypt(token), store.kind, at.toISOString());
    },
    registries: () => listStmt.all().map((r) => r.registry),
  };
}
