/**
 * Reads the plugins of a Plinth profile folder without starting a host: the registry table of
 * its `plinth.db`, opened read-only (safe while the app runs: SQLite readers do not block the
 * app's writer in WAL mode), and the `engines.plinth` of each plugin's manifest on disk.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { PlinthError } from '@plinth/sdk/protocol/errors';

/** One plugin of a profile as `plinth-plugin list` prints it. */
export interface ProfilePlugin {
  id: string;
  version: string;
  /** Lifecycle state (docs/plugin-api.md §9). */
  state: string;
  enabled: boolean;
  /** `bundled`, `user` (installed from a .tgz) or `unpacked`. */
  source: string;
  /** The plugin folder the app loads. */
  path: string;
  /** `engines.plinth` of the manifest in `path`, or `null` when it cannot be read. */
  enginesPlinth: string | null;
  lastError: string | null;
}

/**
 * Lists the plugins recorded in `profileDir/plinth.db`, sorted by id.
 * @throws PlinthError `NOT_FOUND` when the folder has no `plinth.db` (not a profile, or never started)
 */
export function readProfilePlugins(profileDir: string): ProfilePlugin[] {
  const file = path.join(profileDir, 'plinth.db');
  if (!existsSync(file)) throw new PlinthError('NOT_FOUND', `${profileDir} is not a Plinth profile: it has no plinth.db (start Plinth or run a plugin with --profile there first)`);
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare('SELECT id, version, state, enabled, source, path, last_error FROM plugins ORDER BY id').all() as Array<{
      id: string; version: string; state: string; enabled: number; source: string; path: string; last_error: string | null;
    }>;
    return rows.map((row) => ({
      id: row.id, version: row.version, state: row.state, enabled: row.enabled === 1, source: row.source, path: row.path,
      enginesPlinth: readEngines(row.path), lastError: row.last_error,
    }));
  } finally {
    db.close();
  }
}

function readEngines(dir: string): string | null {
  try {
    const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { engines?: { plinth?: unknown } };
    return typeof manifest.engines?.plinth === 'string' ? manifest.engines.plinth : null;
  } catch {
    return null;
  }
}
