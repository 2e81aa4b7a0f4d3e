/**
 * The random secret in each webhook URL, kept encrypted in `webhook_endpoints` (migration 003)
 * so a plugin's URL stays the same across restarts, disable/enable and upgrades.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Db } from '../../db/database.ts';
import type { SecretStore } from '../secrets/secret-store.ts';

/** Entropy of a URL secret (bytes): 256 bits, far past guessing at any request rate. */
export const WEBHOOK_SECRET_BYTES = 32;

/** Loads and creates endpoint secrets. */
export interface EndpointSecrets {
  /**
   * The secret of an endpoint, created on first use. A stored secret that no longer decrypts
   * (the secret store changed) is replaced, so that endpoint's URL changes; `onReplaced` is told.
   */
  get(pluginId: string, endpointKey: string): string;
  /** Deletes a plugin's secrets (uninstall purge): its URLs will differ if it comes back. */
  purge(pluginId: string): void;
}

/** Creates the secret table access. */
export function createEndpointSecrets(db: Db, store: SecretStore, onReplaced: (error: unknown) => void, now: () => Date): EndpointSecrets {
  const getStmt = db.prepare<[string, string], { secret: string }>(
    'SELECT secret FROM webhook_endpoints WHERE plugin_id = ? AND endpoint_key = ?');
  const putStmt = db.prepare(
    `INSERT INTO webhook_endpoints (plugin_id, endpoint_key, secret, created_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (plugin_id, endpoint_key) DO UPDATE SET secret = excluded.secret, created_at = excluded.created_at`);
  const purgeStmt = db.prepare('DELETE FROM webhook_endpoints WHERE plugin_id = ?');
  return {
    get(pluginId, endpointKey) {
      const row = getStmt.get(pluginId, endpointKey);
      if (row) {
        try {
          return store.decrypt(row.secret);
        } catch (error) {
          onReplaced(error);
        }
      }
      const secret = randomBytes(WEBHOOK_SECRET_BYTES).toString('base64url');
      putStmt.run(pluginId, endpointKey, store.encrypt(secret), now().toISOString());
      return secret;
    },
    purge(pluginId) {
      purgeStmt.run(pluginId);
    },
  };
}

/** Compares a presented secret with the expected one in constant time (hashing first equalises lengths). */
export function secretMatches(expected: string, presented: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(expected), digest(presented));
}
