/**
 * Plugin state (`ctx.state`, CONTRACT §5): JSON values keyed by
 * `(pluginId, scopeKind, scopeId, namespace, stateKey)`, kept in the host's SQLite file so a
 * stopped or crashed worker loses nothing.
 */
import { z } from 'zod';
import { PlinthError } from '@plinth/sdk/protocol/errors';
import type { Json } from '@plinth/sdk/protocol/json';
import type { StateKey, StateScope } from '@plinth/sdk/protocol/rpc';
import type { Db } from '../db/database.ts';

/** Largest serialised value of one entry (1 MiB): state is for settings and cursors, not blobs. */
export const MAX_STATE_VALUE_BYTES = 1024 * 1024;
/** Longest key part (characters). */
const MAX_KEY_PART = 256;

const keyPart = z.string().min(1).max(MAX_KEY_PART);
const scopeSchema = z.object({
  scopeKind: z.enum(['instance', 'project', 'task']),
  scopeId: keyPart.optional(),
  namespace: keyPart.optional(),
}).strict();
const keySchema = scopeSchema.extend({ stateKey: keyPart }).strict();

/** The state service, shared by all plugins; every call names the plugin it acts for. */
export interface StateService {
  get(pluginId: string, key: StateKey): Json | null;
  set(pluginId: string, key: StateKey, value: Json): void;
  delete(pluginId: string, key: StateKey): void;
  list(pluginId: string, scope: StateScope): Array<{ key: StateKey; value: Json }>;
}

interface Row { scope_kind: StateKey['scopeKind']; scope_id: string; namespace: string; state_key: string; value: string }

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = issue?.path.join('.') || what;
    throw new PlinthError('INVALID_INPUT', `Invalid state ${what}: ${field}: ${issue?.message ?? 'invalid'}`);
  }
  return result.data;
}

function normalise(key: StateScope): { scopeKind: StateKey['scopeKind']; scopeId: string; namespace: string } {
  if (key.scopeKind !== 'instance' && !key.scopeId) {
    throw new PlinthError('INVALID_INPUT', `Invalid state key: scopeId is required for scopeKind "${key.scopeKind}"`);
  }
  if (key.scopeKind === 'instance' && key.scopeId) {
    throw new PlinthError('INVALID_INPUT', 'Invalid state key: scopeId must be absent for scopeKind "instance"');
  }
  return { scopeKind: key.scopeKind, scopeId: key.scopeId ?? '', namespace: key.namespace ?? '' };
}

function toKey(row: Row): StateKey {
  return {
    scopeKind: row.scope_kind,
    ...(row.scope_id ? { scopeId: row.scope_id } : {}),
    ...(row.namespace ? { namespace: row.namespace } : {}),
    stateKey: row.state_key,
  };
}

/** Creates the state service over the host database (migration 001). */
export function createStateService(db: Db, now: () => Date = () => new Date()): StateService {
  const getStmt = db.prepare<[string, string, string, string, string], { value: string }>(
    'SELECT value FROM plugin_state WHERE plugin_id = ? AND scope_kind = ? AND scope_id = ? AND namespace = ? AND state_key = ?');
  const setStmt = db.prepare(
    `INSERT INTO plugin_state (plugin_id, scope_kind, scope_id, namespace, state_key, value, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (plugin_id, scope_kind, scope_id, namespace, state_key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`);
  const deleteStmt = db.prepare(
    'DELETE FROM plugin_state WHERE plugin_id = ? AND scope_kind = ? AND scope_id = ? AND namespace = ? AND state_key = ?');
  const listStmt = db.prepare<[string, string, string, string], Row>(
    `SELECT scope_kind, scope_id, namespace, state_key, value FROM plugin_state
     WHERE plugin_id = ? AND scope_kind = ? AND scope_id = ? AND namespace = ? ORDER BY state_key`);

  return {
    get(pluginId, rawKey) {
      const key = parse(keySchema, rawKey, 'key');
      const s = normalise(key);
      const row = getStmt.get(pluginId, s.scopeKind, s.scopeId, s.namespace, key.stateKey);
      return row ? (JSON.parse(row.value) as Json) : null;
    },
    set(pluginId, rawKey, value) {
      const key = parse(keySchema, rawKey, 'key');
      const s = normalise(key);
      if (value === undefined) throw new PlinthError('INVALID_INPUT', 'Invalid state value: undefined is not JSON; use state.delete');
      const text = JSON.stringify(value);
      const bytes = Buffer.byteLength(text);
      if (bytes > MAX_STATE_VALUE_BYTES) {
        throw new PlinthError('PAYLOAD_TOO_LARGE', `State value for "${key.stateKey}" is ${bytes} bytes; the limit is ${MAX_STATE_VALUE_BYTES} bytes`);
      }
      setStmt.run(pluginId, s.scopeKind, s.scopeId, s.namespace, key.stateKey, text, now().toISOString());
    },
    delete(pluginId, rawKey) {
      const key = parse(keySchema, rawKey, 'key');
      const s = normalise(key);
      deleteStmt.run(pluginId, s.scopeKind, s.scopeId, s.namespace, key.stateKey);
    },
    list(pluginId, rawScope) {
      const scope = parse(scopeSchema, rawScope, 'scope');
      const s = normalise(scope);
      return listStmt.all(pluginId, s.scopeKind, s.scopeId, s.namespace)
        .map((row) => ({ key: toKey(row), value: JSON.parse(row.value) as Json }));
    },
  };
}
