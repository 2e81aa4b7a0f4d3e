/**
 * The user's remembered answers to runtime permission requests (API 1.1), in the profile
 * database (migration 007), so an Allow or a Deny survives a restart.
 */
import type { Db } from '../db/database.ts';

/** What the user answered for one capability of one plugin. */
export type PermissionDecision = 'allowed' | 'denied';

/** One remembered answer; `decidedAt` is ISO 8601 UTC. */
export interface PermissionRecord { capability: string; decision: PermissionDecision; decidedAt: string }

/** Reads and writes the remembered answers. */
export interface PermissionStore {
  /** The plugin's answers, sorted by capability. */
  of(pluginId: string): PermissionRecord[];
  /** Records (or replaces) one answer. */
  set(pluginId: string, capability: string, decision: PermissionDecision, at: Date): void;
  /** Forgets one answer; returns false when there was none. */
  remove(pluginId: string, capability: string): boolean;
  /** Forgets every answer of a plugin (its purge). */
  removeAll(pluginId: string): void;
}

interface Row { capability: string; decision: string; decided_at: string }

/** Creates the store over the profile database (after migration 007). */
export function createPermissionStore(db: Db): PermissionStore {
  const ofStmt = db.prepare<[string], Row>('SELECT capability, decision, decided_at FROM plugin_permissions WHERE plugin_id = ? ORDER BY capability');
  const setStmt = db.prepare(`INSERT INTO plugin_permissions (plugin_id, capability, decision, decided_at) VALUES (?, ?, ?, ?)
    ON CONFLICT (plugin_id, capability) DO UPDATE SET decision = excluded.decision, decided_at = excluded.decided_at`);
  const removeStmt = db.prepare('DELETE FROM plugin_permissions WHERE plugin_id = ? AND capability = ?');
  const removeAllStmt = db.prepare('DELETE FROM plugin_permissions WHERE plugin_id = ?');
  return {
    of: (pluginId) => ofStmt.all(pluginId).map((row) => ({
      capability: row.capability, decision: row.decision as PermissionDecision, decidedAt: row.decided_at,
    })),
    set(pluginId, capability, decision, at) { setStmt.run(pluginId, capability, decision, at.toISOString()); },
    remove: (pluginId, capability) => removeStmt.run(pluginId, capability).changes > 0,
    removeAll(pluginId) { removeAllStmt.run(pluginId); },
  };
}
