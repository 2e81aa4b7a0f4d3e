/**
 * The plugin registry: one row per known plugin id with its lifecycle state, enablement,
 * last error, approved capabilities and config, persisted in SQLite so they survive restarts.
 */
import type { LifecycleState, PluginSource } from '@plinth/sdk/protocol/lifecycle';
import type { JsonObject } from '@plinth/sdk/protocol/json';
import type { Db } from './db/database.ts';
import type { FailureKind, PluginFailure } from './lifecycle.ts';

/** A registry row as the host uses it. */
export interface RegistryEntry {
  id: string;
  source: PluginSource;
  path: string;
  version: string;
  state: LifecycleState;
  enabled: boolean;
  /** Why the plugin is in `error` or waits for configuration; `null` otherwise. */
  lastError: PluginFailure | null;
  capabilities: string[];
  /** Capabilities the user approved; `null` until first approval. */
  approvedCapabilities: string[] | null;
  config: JsonObject;
  installedAt: string;
  updatedAt: string;
}

interface Row {
  id: string; source: string; path: string; version: string; state: string; enabled: number;
  last_error: string | null; last_error_kind: string | null; capabilities: string; approved_capabilities: string | null; config: string;
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
    lastError: row.last_error === null ? null : { kind: (row.last_error_kind ?? 'manifest') as FailureKind, message: row.last_error },
    capabilities: JSON.parse(row.capabilities) as string[],
    approvedCapabilities: row.approved_capabilities === null ? null : (JSON.parse(row.approved_capabilities) as string[]),
    config: JSON.parse(row.config) as JsonObject,
    installedAt: row.installed_at,
    updatedAt: row.updated_at,
  };
}

/** Reads and writes registry rows. Entries returned are frozen: spread them to change a copy. */
export interface Registry {
  get(id: string): RegistryEntry | undefined;
  all(): RegistryEntry[];
  /** Inserts or replaces the whole row; `updatedAt` is set to now. */
  put(entry: Omit<RegistryEntry, 'updatedAt' | 'installedAt'> & { installedAt?: string }): RegistryEntry;
  /** Changes some fields of an existing row. */
  update(id: string, patch: Partial<Omit<RegistryEntry, 'id' | 'installedAt' | 'updatedAt'>>): RegistryEntry;
  remove(id: string): void;
}

/**
 * Rows by id, per database connection: every registry over one connection shares it, so the
 * host, its installer and a test seeding rows all see one state. Loaded once, written through.
 */
const caches = new WeakMap<Db, Map<string, RegistryEntry>>();

/**
 * Drops the rows held in memory for `db`; the next read loads them from SQLite again. For code
 * that changes the `plugins` table other than through a registry: a statement of its own, or a
 * transaction with registry writes that rolled back.
 */
export function invalidateRegistryCache(db: Db): void {
  caches.delete(db);
}

/** Freezes an entry and its arrays and config, so a caller cannot change the cache by accident. */
function frozen(entry: RegistryEntry): RegistryEntry {
  const freezeDeep = (value: unknown): void => {
    if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return;
    Object.freeze(value);
    for (const child of Object.values(value)) freezeDeep(child);
  };
  freezeDeep(entry);
  return entry;
}

/** True when `a` and `b` store the same row apart from their timestamps. */
function sameContent(a: RegistryEntry, b: RegistryEntry): boolean {
  return a.source === b.source && a.path === b.path && a.version === b.version && a.state === b.state
    && a.enabled === b.enabled && a.lastError?.kind === b.lastError?.kind && a.lastError?.message === b.lastError?.message
    && JSON.stringify(a.capabilities) === JSON.stringify(b.capabilities)
    && JSON.stringify(a.approvedCapabilities) === JSON.stringify(b.approvedCapabilities)
    && JSON.stringify(a.config) === JSON.stringify(b.config);
}

/**
 * Creates the registry over the host database (migration 001). Reads come from memory (the
 * rows are loaded once per connection); writes go to SQLite first, then to memory, and a write
 * that changes nothing but the timestamps is skipped. Entries returned are frozen snapshots.
 */
export function createRegistry(db: Db, now: () => Date = () => new Date()): Registry {
  const allStmt = db.prepare<[], Row>('SELECT * FROM plugins ORDER BY id');
  const putStmt = db.prepare(`INSERT OR REPLACE INTO plugins
    (id, source, path, version, state, enabled, last_error, last_error_kind, capabilities, approved_capabilities, config, installed_at, updated_at)
    VALUES (@id, @source, @path, @version, @state, @enabled, @last_error, @last_error_kind, @capabilities, @approved_capabilities, @config, @installed_at, @updated_at)`);
  const removeStmt = db.prepare('DELETE FROM plugins WHERE id = ?');
  const rows = (): Map<string, RegistryEntry> => {
    let cache = caches.get(db);
    if (!cache) {
      cache = new Map(allStmt.all().map((row) => [row.id, frozen(fromRow(row))]));
      caches.set(db, cache);
    }
    return cache;
  };

  function write(entry: RegistryEntry): RegistryEntry {
    const cache = rows();
    const existing = cache.get(entry.id);
    if (existing && existing.installedAt === entry.installedAt && sameContent(existing, entry)) return existing;
    putStmt.run({
      id: entry.id, source: entry.source, path: entry.path, version: entry.version, state: entry.state,
      enabled: entry.enabled ? 1 : 0, last_error: entry.lastError?.message ?? null, last_error_kind: entry.lastError?.kind ?? null, capabilities: JSON.stringify(entry.capabilities),
      approved_capabilities: entry.approvedCapabilities === null ? null : JSON.stringify(entry.approvedCapabilities),
      config: JSON.stringify(entry.config), installed_at: entry.installedAt, updated_at: entry.updatedAt,
    });
    // A copy: the caller's arrays and config stay theirs (and unfrozen).
    const stored = frozen(structuredClone(entry));
    cache.set(entry.id, stored);
    return stored;
  }

  return {
    get(id) {
      return rows().get(id);
    },
    all() {
      return [...rows().values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    },
    put(entry) {
      const at = now().toISOString();
      return write({ ...entry, installedAt: entry.installedAt ?? rows().get(entry.id)?.installedAt ?? at, updatedAt: at });
    },
    update(id, patch) {
      const existing = rows().get(id);
      if (!existing) throw new Error(`registry: no plugin ${id}`);
      return write({ ...existing, ...patch, updatedAt: now().toISOString() });
    },
    remove(id) {
      removeStmt.run(id);
      rows().delete(id);
    },
  };
}
