/**
 * Plugin secrets (CONTRACT §2, §5): a config property with `"format": "secret"` holds a
 * reference, `secret:<uuid>`, never the secret itself. The value is encrypted with the
 * injected {@link SecretStore} and kept in `plugin_secrets` (migration 003), bound to the
 * plugin that owns it. `ctx.secrets.resolve(ref)` returns the plaintext only for a ref that
 * (1) belongs to the calling plugin and (2) sits in a secret field of its current config, so
 * a plugin can neither read another plugin's secrets nor keep using one the user replaced.
 */
import { randomUUID } from 'node:crypto';
import { PlinthError } from '@plinth/sdk/protocol/errors';
import type { Json, JsonObject } from '@plinth/sdk/protocol/json';
import type { Db } from '../../db/database.ts';
import { SECRET_FORMAT } from '../../manifest/json-schema.ts';
import type { SecretStore } from './secret-store.ts';

export type { SecretStore } from './secret-store.ts';

/** Prefix of a secret reference; the rest is a UUID (lowercase, as `randomUUID` makes it). */
export const SECRET_REF_PREFIX = 'secret:';
/** Largest secret (bytes of UTF-8): secrets are tokens and keys, not files. */
export const MAX_SECRET_BYTES = 64 * 1024;

const REF_PATTERN = /^secret:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** True when `value` has the shape of a secret reference (`secret:<uuid>`). */
export function isSecretRef(value: unknown): value is string {
  return typeof value === 'string' && REF_PATTERN.test(value);
}

/**
 * Paths (property names from the root) of every `"format": "secret"` string property in a
 * config schema, following nested `properties` of object schemas. Arrays of secrets are not
 * supported: a secret is one named field.
 */
export function secretFieldPaths(schema: JsonObject | null | undefined): string[][] {
  const paths: string[][] = [];
  const walk = (node: Json | undefined, path: string[]) => {
    if (!node || typeof node !== 'object' || Array.isArray(node)) return;
    if (node.format === SECRET_FORMAT && path.length > 0) paths.push(path);
    const properties = node.properties;
    if (properties && typeof properties === 'object' && !Array.isArray(properties)) {
      for (const [name, child] of Object.entries(properties)) walk(child, [...path, name]);
    }
  };
  walk(schema ?? undefined, []);
  return paths;
}

/** The value at `path` (property names) in `config`, or `undefined`. */
export function valueAt(config: JsonObject, path: string[]): Json | undefined {
  let node: Json | undefined = config;
  for (const name of path) {
    if (!node || typeof node !== 'object' || Array.isArray(node)) return undefined;
    node = node[name];
  }
  return node;
}

/** What the secrets service needs from the host. */
export interface SecretsServiceOptions {
  /** The host database, migrated to at least version 3. */
  db: Db;
  store: SecretStore;
  /** A plugin's current config (secrets as refs), or `null` for an unknown plugin. */
  getConfig(pluginId: string): JsonObject | null;
  /** A plugin's `configSchema`, or `null` when it has none. */
  getSchema(pluginId: string): JsonObject | null;
  now?: () => Date;
}

/** The secrets service, shared by all plugins; every call names the plugin it acts for. */
export interface SecretsService {
  /**
   * Encrypts `plaintext` for `pluginId` and returns its new ref (`secret:<uuid>`), the value
   * to keep in the plugin's config.
   * @throws PlinthError `INVALID_INPUT` for a non-string or one over {@link MAX_SECRET_BYTES};
   *   `NOT_READY` when the store cannot encrypt.
   */
  storeSecret(pluginId: string, plaintext: string): string;
  /**
   * Serves `ctx.secrets.resolve(ref)`: the plaintext of a ref held by a secret field of the
   * plugin's current config.
   * @throws PlinthError `INVALID_INPUT` when `ref` is not shaped `secret:<uuid>`; `NOT_FOUND`
   *   when the ref is unknown, another plugin's, or not in the current config; `INVALID_INPUT`
   *   from the store when the ciphertext was altered.
   */
  resolve(pluginId: string, ref: string): string;
  /**
   * Prepares a config the user entered for saving: every non-empty string in a secret field
   * that is not already a ref is stored and replaced by its ref. Other fields are untouched;
   * the input object is not modified.
   */
  sealConfig(pluginId: string, config: JsonObject): JsonObject;
  /** Deletes the plugin's stored secrets its current config no longer refers to; returns how many. */
  prune(pluginId: string): number;
  /** Deletes every secret of a plugin (uninstall purge). */
  purge(pluginId: string): void;
}

/** Creates the secrets service. */
export function createSecretsService(options: SecretsServiceOptions): SecretsService {
  const { db, store, getConfig, getSchema } = options;
  const now = options.now ?? (() => new Date());
  const insertStmt = db.prepare('INSERT INTO plugin_secrets (id, plugin_id, ciphertext, store_kind, created_at) VALUES (?, ?, ?, ?, ?)');
  const getStmt = db.prepare<[string, string], { ciphertext: string; store_kind: string }>(
    'SELECT ciphertext, store_kind FROM plugin_secrets WHERE id = ? AND plugin_id = ?');
  const idsStmt = db.prepare<[string], { id: string }>('SELECT id FROM plugin_secrets WHERE plugin_id = ?');
  const deleteStmt = db.prepare('DELETE FROM plugin_secrets WHERE id = ? AND plugin_id = ?');
  const purgeStmt = db.prepare('DELETE FROM plugin_secrets WHERE plugin_id = ?');

  /** Refs in the secret fields of the plugin's current config. */
  function referencedIds(pluginId: string): Set<string> {
    const config = getConfig(pluginId);
    const ids = new Set<string>();
    if (!config) return ids;
    for (const path of secretFieldPaths(getSchema(pluginId))) {
      const value = valueAt(config, path);
      if (isSecretRef(value)) ids.add(value.slice(SECRET_REF_PREFIX.length));
    }
    return ids;
  }

  function storeSecret(pluginId: string, plaintext: string): string {
    if (typeof plaintext !== 'string') throw new PlinthError('INVALID_INPUT', 'A secret must be a string');
    if (Buffer.byteLength(plaintext, 'utf8') > MAX_SECRET_BYTES) {
      throw new PlinthError('INVALID_INPUT', `A secret may be at most ${MAX_SECRET_BYTES} bytes`);
    }
    const id = randomUUID();
    insertStmt.run(id, pluginId, store.encrypt(plaintext), store.kind, now().toISOString());
    return SECRET_REF_PREFIX + id;
  }

  return {
    storeSecret,
    resolve(pluginId, ref) {
      if (!isSecretRef(ref)) {
        throw new PlinthError('INVALID_INPUT', `${JSON.stringify(ref)} is not a secret reference: pass the value of a "format": "secret" config field (secret:<uuid>)`);
      }
      const id = ref.slice(SECRET_REF_PREFIX.length);
      const row = referencedIds(pluginId).has(id) ? getStmt.get(id, pluginId) : undefined;
      if (!row) {
        throw new PlinthError('NOT_FOUND', `Secret ${ref} is not one of plugin ${pluginId}'s current config secrets; enter it in the plugin's settings`);
      }
      if (row.store_kind !== store.kind) {
        throw new PlinthError('NOT_FOUND', `Secret ${ref} was saved with the ${row.store_kind} store but this app uses ${store.kind}; enter it again in the plugin's settings`);
      }
      return store.decrypt(row.ciphertext);
    },
    sealConfig(pluginId, config) {
      const sealed = structuredClone(config);
      for (const path of secretFieldPaths(getSchema(pluginId))) {
        const parent = valueAt(sealed, path.slice(0, -1));
        const name = path.at(-1) as string;
        if (!parent || typeof parent !== 'object' || Array.isArray(parent)) continue;
        const value = parent[name];
        if (typeof value === 'string' && value !== '' && !isSecretRef(value)) parent[name] = storeSecret(pluginId, value);
      }
      return sealed;
    },
    prune(pluginId) {
      const keep = referencedIds(pluginId);
      let removed = 0;
      for (const { id } of idsStmt.all(pluginId)) {
        if (!keep.has(id)) removed += deleteStmt.run(id, pluginId).changes;
      }
      return removed;
    },
    purge(pluginId) {
      purgeStmt.run(pluginId);
    },
  };
}
