/**
 * The plugin registry: one row per known plugin id with its lifecycle state, enablement,
 * last error, approved capabilities and config, persisted in SQLite so they survive restarts.
 */
import type { LifecycleState, PluginSource } from '@plinth/sdk/protocol/lifecycle';
import type { JsonObject } from '@plinth/sdk/protocol/json';
import type { Db } from './db/database.ts';

/** A registry row as the host uses it. */
export interface RegistryEntry {
  id: string;
  source: PluginSource;
  path: string;
  version: string;
  state: LifecycleState;
  enabled: boolean;
  lastError: string | null;
  capabilities: string[];
  /** Capabilities the user approved; `null` until first approval. */
  approvedCapabilities: string[] | null;
  config: JsonObject;
  installedAt: string;
  updatedAt: string;
}

interface Row {
  id: string; source: string; path: string; version: string; state: string; enabled: number;
  last_error: string | null; capabilities: string; approved_capabilities: string | null; config: string;
  installed_at: string; updated_at: string;
}

function fromRow(row: Row): RegistryEntry {
  return {
    id: row.id,
    source: row.source as PluginSource,
    path: row.path,
    version: row.version,
    state: row.state as LifecycleState,
    enabled: row.enabled === 1,
    lastError: row.last_error,
    capabilities: JSON.parse(row.capabilities) as string[],
    approvedCapabilities: row.approved_capabilities === null ? null : (JSON.parse(row.approved_capabilities) as string[]),
    config: JSON.parse(row.config) as JsonObject,
    installedAt: row.installed_at,
    updatedAt: row.updated_at,
  };
}

/** Reads and writes registry rows. */
export interface Registry {
  get(id: string): RegistryEntry | undefined;
  all(): RegistryEntry[];
  /** Inserts or replaces the whole row; `updatedAt` is set to now. */
  put(entry: Omit<RegistryEntry, 'updatedAt' | 'installedAt'> & { installedAt?: string }): RegistryEntry;
  /** Changes some fields of an existing row. */
  update(id: string, patch: Partial<Omit<RegistryEntry, 'id' | 'installedAt' | 'updatedAt'>>): RegistryEntry;
  remove(id: string): void;
}

/** Creates the registry over the host database (migration 001). */
export function createRegistry(db: Db, now: () => Date = () => new Date()): Registry {
  const getStmt = db.prepare<[string], Row>('SELECT * FROM plugins WHERE id = ?');
  const allStmt = db.prepare<[], Row>('SELECT * FROM plugins ORDER BY id');
  const putStmt = db.prepare(`INSERT OR REPLACE INTO plugins
    (id, source, path, version, state, enabled, last_error, capabilities, approved_capabilities, config, installed_at, updated_at)
    VALUES (@id, @source, @path, @version, @state, @enabled, @last_error, @capabilities, @approved_capabilities, @config, @installed_at, @updated_at)`);
  const removeStmt = db.prepare('DELETE FROM plugins WHERE id = ?');

  function write(entry: RegistryEntry): RegistryEntry {
    putStmt.run({
      id: entry.id, source: entry.source, path: entry.path, version: entry.version, state: entry.state,
      enabled: entry.enabled ? 1 : 0, last_error: entry.lastError, capabilities: JSON.stringify(entry.capabilities),
      approved_capabilities: entry.approvedCapabilities === null ? null : JSON.stringify(entry.approvedCapabilities),
      config: JSON.stringify(entry.config), installed_at: entry.installedAt, updated_at: entry.updatedAt,
    });
    return entry;
  }

  return {
    get(id) {
      const row = getStmt.get(id);
      return row ? fromRow(row) : undefined;
    },
    all() {
      return allStmt.all().map(fromRow);
    },
    put(entry) {
      const at = now().toISOString();
      const existing = getStmt.get(entry.id);
      return write({ ...entry, installedAt: entry.installedAt ?? existing?.installed_at ?? at, updatedAt: at });
    },
    update(id, patch) {
      const row = getStmt.get(id);
      if (!row) throw new Error(`registry: no plugin ${id}`);
      return write({ ...fromRow(row), ...patch, updatedAt: now().toISOString() });
    },
    remove(id) {
      removeStmt.run(id);
    },
  };
}
