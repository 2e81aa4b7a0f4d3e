/**
 * A real profile folder for installer tests: a SQLite file with every migration, the registry,
 * the installer with an injected clock, and real `.tgz` files made by the CLI's `packPlugin`.
 */
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { openDatabase, type Db } from '../../main/host/db/database.ts';
import { createPluginInstaller, type PluginInstaller } from '../../main/host/install/index.ts';
import { createRegistry, type Registry } from '../../main/host/registry.ts';
import { packPlugin } from '../../sdk/cli/commands/pack.ts';
import { PlinthError } from '../../sdk/protocol/errors.ts';
import { makeTempDir, writePluginFolder } from '../fixtures/manifests/plugin-folder.ts';

/** One test's profile and installer. */
export interface InstallBench {
  base: string;
  userData: string;
  db: Db;
  registry: Registry;
  installer: PluginInstaller;
  /** Sets the clock the installer and registry read. */
  setNow(date: Date): void;
}

/** The start of every test clock. */
export const T0 = new Date('2025-01-01T00:00:00.000Z');

/** Creates a fresh profile; `bundled` ids are reported as bundled plugins. Closed after the test. */
export async function createBench(t: TestContext, options: { bundled?: string[]; hostApiVersion?: string } = {}): Promise<InstallBench> {
  const base = await makeTempDir(t, 'plinth-install-');
  const userData = path.join(base, 'profile');
  const db = openDatabase(path.join(userData, 'plinth.db'));
  t.after(() => db.close());
  let clock = T0;
  const registry = createRegistry(db, () => clock);
  const installer = createPluginInstaller({
    userDataDir: userData, registry, db, bundledIds: () => new Set(options.bundled ?? []), now: () => clock,
    ...(options.hostApiVersion ? { hostApiVersion: options.hostApiVersion } : {}),
  });
  return { base, userData, db, registry, installer, setNow: (date) => { clock = date; } };
}

/** What goes into a test plugin. */
export interface ArchiveSpec {
  name: string;
  version?: string;
  capabilities?: string[];
  /** Replaces keys of the manifest (e.g. a bad `engines`). */
  manifest?: Record<string, unknown>;
}

let counter = 0;

/** A manifest whose worker exports its version, so tests can tell which files are in place. */
export function testManifest(spec: ArchiveSpec): Record<string, unknown> {
  return {
    name: spec.name, version: spec.version ?? '1.0.0', type: 'module', engines: { plinth: '^1.0.0' },
    plinth: { displayName: `Plugin ${spec.name}`, worker: 'worker.js', capabilities: spec.capabilities ?? ['plugin.state.read'] },
    ...spec.manifest,
  };
}

/** Writes a plugin folder under `parent` whose worker.js names its version. */
export async function writeTestPlugin(parent: string, folder: string, spec: ArchiveSpec): Promise<string> {
  const version = spec.version ?? '1.0.0';
  return writePluginFolder(parent, folder, testManifest(spec), { 'worker.js': `export const VERSION = '${version}';\n` });
}

/** Packs a plugin with `plinth-plugin pack`'s code into a fresh folder and returns the `.tgz` path. */
export async function packArchive(base: string, spec: ArchiveSpec): Promise<string> {
  counter += 1;
  const src = await writeTestPlugin(path.join(base, 'src'), `p${counter}`, spec);
  const { file } = await packPlugin(src, { name: spec.name, version: spec.version ?? '1.0.0' }, path.join(base, 'archives', `a${counter}`));
  return file;
}

/** The version an installed folder's worker.js declares. */
export async function workerVersion(dir: string): Promise<string> {
  const text = await readFile(path.join(dir, 'worker.js'), 'utf8');
  return /VERSION = '([^']+)'/.exec(text)?.[1] ?? '?';
}

/** Entries of a folder, `[]` when it does not exist. */
export async function list(dir: string): Promise<string[]> {
  return (await readdir(dir).catch(() => [] as string[])).sort();
}

/** Rows of `table` for one plugin id (`column` defaults to `plugin_id`). */
export function rowsOf(db: Db, table: string, id: string, column = 'plugin_id'): number {
  return (db.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE ${column} = ?`).get(id) as { n: number }).n;
}

/** Marks a plugin enabled and approved, as the host does when the user enables it. */
export function enable(registry: Registry, id: string): void {
  const entry = registry.get(id);
  if (!entry) throw new Error(`no registry row for ${id}`);
  registry.update(id, { enabled: true, state: 'ready', approvedCapabilities: entry.capabilities });
}

/** Writes one plugin state entry, as `ctx.state.set` would. */
export function putState(db: Db, id: string, key: string, value: unknown): void {
  db.prepare(`INSERT INTO plugin_state (plugin_id, scope_kind, scope_id, namespace, state_key, value, updated_at)
    VALUES (?, 'instance', '', '', ?, ?, ?)`).run(id, key, JSON.stringify(value), T0.toISOString());
}

/** Asserts `promise` rejects with a PlinthError of `code` whose message matches every pattern; returns the error. */
export async function refused(promise: Promise<unknown>, code: string, ...patterns: RegExp[]): Promise<PlinthError> {
  const error = await promise.then(() => assert.fail(`expected a ${code} refusal`), (e: unknown) => e);
  assert.ok(error instanceof PlinthError, `expected a PlinthError, got ${String(error)}`);
  assert.equal(error.code, code, error.message);
  for (const pattern of patterns) assert.match(error.message, pattern);
  return error;
}
