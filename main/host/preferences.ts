/**
 * App preferences (developer mode, idle timeout, uninstall grace period, heap cap …):
 * one zod schema with defaults, and a store over `conf` (Node, tests) or `electron-store`
 * (main/electron/settings-store.ts), which share one API and one file format.
 *
 * A damaged settings file never stops the app: the bad file is copied next to it as
 * `settings.corrupt-<timestamp>.json`, valid keys are kept, bad ones fall back to their defaults,
 * and `lastLoadWarning` says what happened so the lead can show it.
 */
import { copyFileSync, constants as fsConstants, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import Conf from 'conf';
import { z } from 'zod';
import { PlinthError } from '@plinth/sdk/protocol/errors';
import { DEFAULT_WORKER_HEAP_MB } from '@plinth/sdk/protocol/rpc';

/** Shortest idle timeout: shorter would stop workers between two clicks of the same user. */
export const MIN_IDLE_TIMEOUT_MS = 10_000;
/** Longest idle timeout (24 h): longer is "never", which is what `onStartup` is for. */
export const MAX_IDLE_TIMEOUT_MS = 24 * 60 * 60_000;
/** Longest uninstall grace period (a year); the shortest is 1 day, since "Purge now" exists for 0. */
export const MAX_UNINSTALL_GRACE_DAYS = 365;
/** Smallest worker heap cap: below it a Node worker with the SDK loaded has no room to work. */
export const MIN_WORKER_HEAP_MB = 64;
/** Largest worker heap cap: more than a desktop plugin should ever hold. */
export const MAX_WORKER_HEAP_MB = 8_192;
/** Lowest fixed port: ports below 1024 need root on Linux and macOS. */
export const MIN_FIXED_PORT = 1_024;
/** Name of the settings file in the profile folder (without `.json`). */
export const SETTINGS_FILE_NAME = 'settings';

/** App preferences. Every field has a default in {@link DEFAULT_PREFERENCES}. */
export interface Preferences {
  /** Shows pids, logs and the Reload button. */
  developerMode: boolean;
  /** Idle time before a worker without `onStartup` and open streams is stopped (ms, CONTRACT §6). */
  idleTimeoutMs: number;
  /** Days an uninstalled plugin's config and state are kept, restorable (CONTRACT §9). */
  uninstallGraceDays: number;
  /** Port of the local webhook server; 0 lets the OS pick a free one. */
  webhookPort: number;
  /** Serves plugin tools to agents over MCP. */
  mcpEnabled: boolean;
  /** Port of the MCP server; 0 lets the OS pick a free one. */
  mcpPort: number;
  /** Heap cap of each worker (MiB). */
  workerHeapMb: number;
  /** Colour theme of the shell; `system` follows the OS. */
  theme: 'system' | 'light' | 'dark';
  /** The npm registry plugins are searched and installed from (http or https URL). */
  registryUrl: string;
  /** Per-scope registries, npm's `@scope:registry`: `{ "@acme": "https://npm.acme.example/" }`. */
  registryScopes: Record<string, string>;
  /** Hours between update checks of registry plugins (also checked at start-up); 0 turns checks off. */
  updateCheckHours: number;
  /** When an update that asks for no new capabilities is installed: at once, or at the next start. */
  updateInstall: 'immediately' | 'next-start';
  /** Lets plugin READMEs in Browse load images from the internet (off: they show as links). */
  readmeRemoteImages: boolean;
}

/** The defaults. */
export const DEFAULT_PREFERENCES: Readonly<Preferences> = Object.freeze({
  developerMode: false,
  idleTimeoutMs: 5 * 60_000,
  uninstallGraceDays: 30,
  webhookPort: 0,
  mcpEnabled: false,
  mcpPort: 0,
  workerHeapMb: DEFAULT_WORKER_HEAP_MB,
  theme: 'system',
  registryUrl: 'https://registry.npmjs.org/',
  registryScopes: {},
  updateCheckHours: 24,
  updateInstall: 'immediately',
  readmeRemoteImages: false,
});

const int = (min: number, max: number) => z.number().int().min(min).max(max);
/** Longest time between update checks: 30 days; longer is "off", which 0 says. */
export const MAX_UPDATE_CHECK_HOURS = 720;
/** An npm scope as `.npmrc` writes it (`@acme`), the rule of validate-npm-package-name. */
const SCOPE_NAME = /^@[a-z0-9][a-z0-9._~-]*$/;
const registryUrl = z.string().max(2_000).refine((v) => {
  try {
    const { protocol } = new URL(v);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
});
const port = z.union([z.literal(0), int(MIN_FIXED_PORT, 65_535)]);

/** One schema per field, with what to tell a user whose value fails it. */
const FIELDS: { [K in keyof Preferences]: { schema: z.ZodType<Preferences[K]>; expected: string } } = {
  developerMode: { schema: z.boolean(), expected: 'true or false' },
  idleTimeoutMs: { schema: int(MIN_IDLE_TIMEOUT_MS, MAX_IDLE_TIMEOUT_MS), expected: `a whole number of ms from ${MIN_IDLE_TIMEOUT_MS} to ${MAX_IDLE_TIMEOUT_MS}` },
  uninstallGraceDays: { schema: int(1, MAX_UNINSTALL_GRACE_DAYS), expected: `a whole number of days from 1 to ${MAX_UNINSTALL_GRACE_DAYS}` },
  webhookPort: { schema: port, expected: `0 (pick a free port) or a port from ${MIN_FIXED_PORT} to 65535` },
  mcpEnabled: { schema: z.boolean(), expected: 'true or false' },
  mcpPort: { schema: port, expected: `0 (pick a free port) or a port from ${MIN_FIXED_PORT} to 65535` },
  workerHeapMb: { schema: int(MIN_WORKER_HEAP_MB, MAX_WORKER_HEAP_MB), expected: `a whole number of MiB from ${MIN_WORKER_HEAP_MB} to ${MAX_WORKER_HEAP_MB}` },
  theme: { schema: z.enum(['system', 'light', 'dark']), expected: '"system", "light" or "dark"' },
  registryUrl: { schema: registryUrl, expected: 'an http:// or https:// URL' },
  registryScopes: {
    schema: z.record(z.string().regex(SCOPE_NAME), registryUrl),
    expected: 'an object of "@scope": "https://…" entries',
  },
  updateCheckHours: { schema: int(0, MAX_UPDATE_CHECK_HOURS), expected: `a whole number of hours from 0 (off) to ${MAX_UPDATE_CHECK_HOURS}` },
  updateInstall: { schema: z.enum(['immediately', 'next-start']), expected: '"immediately" or "next-start"' },
  readmeRemoteImages: { schema: z.boolean(), expected: 'true or false' },
};

const KEYS = Object.keys(FIELDS) as Array<keyof Preferences>;

/** The whole-object schema, for IPC handlers that receive a preferences patch. */
export const preferencesSchema = z.strictObject(Object.fromEntries(KEYS.map((k) => [k, FIELDS[k].schema])) as { [K in keyof Preferences]: z.ZodType<Preferences[K]> });

function isKey(key: string): key is keyof Preferences {
  return Object.hasOwn(FIELDS, key);
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

/** Why `value` is not valid for `key`, or `undefined` when it is. */
function problemOf(key: keyof Preferences, value: unknown): string | undefined {
  return FIELDS[key].schema.safeParse(value).success ? undefined : `expected ${FIELDS[key].expected}, got ${show(value)}`;
}

/**
 * Validates a patch for {@link PreferencesStore.set}. `undefined` values mean "not given".
 * @throws PlinthError `INVALID_INPUT` naming the first unknown or invalid field.
 */
export function validatePreferencesPatch(patch: unknown): Partial<Preferences> {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
    throw new PlinthError('INVALID_INPUT', `Preferences must be an object, got ${show(patch)}`);
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    if (!isKey(key)) throw new PlinthError('INVALID_INPUT', `Unknown preference "${key}"; known: ${KEYS.join(', ')}`);
    const problem = problemOf(key, value);
    if (problem) throw new PlinthError('INVALID_INPUT', `Invalid preference "${key}": ${problem}`);
    out[key] = value;
  }
  return out as Partial<Preferences>;
}

/** Listener of {@link PreferencesStore.onChange}: the new preferences and the keys that changed. */
export type PreferencesListener = (preferences: Preferences, changed: Array<keyof Preferences>) => void;

/** The preferences of this profile. */
export interface PreferencesStore {
  /** A copy of the current preferences (defaults filled in). */
  get(): Preferences;
  /**
   * Validates, saves and returns the new preferences; listeners hear of changed keys only.
   * @throws PlinthError `INVALID_INPUT` naming the field (nothing is saved), `INTERNAL` when the file cannot be written.
   */
  set(patch: Partial<Preferences>): Preferences;
  /** Listens to saved changes; returns the unsubscribe function. */
  onChange(listener: PreferencesListener): () => void;
  /** What was wrong with the settings file at load, for the UI to show; `undefined` when it was fine. */
  readonly lastLoadWarning: string | undefined;
  /** Absolute path of the damaged settings file kept at load, with `lastLoadWarning`. */
  readonly lastLoadKeptAs: string | undefined;
  /** Absolute path of the settings file. */
  readonly path: string;
}

/** What `conf` and `electron-store` both offer, which is all the store uses. */
export interface PreferencesBackend {
  set(values: Record<string, unknown>): void;
}

/** The result of {@link loadSettingsFile}. */
export interface LoadedSettings {
  preferences: Preferences;
  /** What the file holds after repair (valid known keys and every unknown key). */
  stored: Record<string, unknown>;
  warning?: string;
  /** Absolute path of the kept damaged file, with `warning`. */
  keptAs?: string;
}

/** A settings "file" that is a folder (a broken sync tool, a user's mistake): moved aside whole. */
function moveUnreadableAside(file: string, now: Date): LoadedSettings {
  const keptAs = join(dirname(file), `${basename(file).replace(/\.json$/, '')}.corrupt-${now.toISOString().replace(/[:.]/g, '-')}.json`);
  try {
    renameSync(file, keptAs);
  } catch (error) {
    throw new PlinthError('INTERNAL', `Cannot move the unreadable settings file ${file} aside: ${(error as Error).message}`);
  }
  return { preferences: { ...DEFAULT_PREFERENCES }, stored: {}, keptAs, warning: `The settings file was a folder, not a file; all preferences use their defaults. It was kept as ${keptAs}.` };
}

/** Copies a damaged file next to itself as `<name>.corrupt-<timestamp>.json`; returns the copy's name. */
function keepCorruptCopy(file: string, now: Date): string {
  const stem = basename(file).replace(/\.json$/, '');
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  for (let n = 0; ; n++) {
    const name = `${stem}.corrupt-${stamp}${n > 0 ? `-${n}` : ''}.json`;
    try {
      copyFileSync(file, join(dirname(file), name), fsConstants.COPYFILE_EXCL);
      return name;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

/**
 * Reads and, when needed, repairs the settings file at `file` (absolute path). A missing file
 * gives the defaults. Invalid JSON, a non-object, or values failing the schema: the file is
 * copied to `settings.corrupt-<timestamp>.json` (a folder in its place is moved there), rewritten with the valid keys only (unknown
 * keys, e.g. from a newer Plinth, are kept), and `warning` says so.
 * @throws PlinthError `INTERNAL` when the file exists but cannot be read or repaired (permissions).
 */
export function loadSettingsFile(file: string, now: () => Date = () => new Date()): LoadedSettings {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { preferences: { ...DEFAULT_PREFERENCES }, stored: {} };
    if ((error as NodeJS.ErrnoException).code === 'EISDIR') return moveUnreadableAside(file, now());
    throw new PlinthError('INTERNAL', `Cannot read the settings file ${file}: ${(error as Error).message}`);
  }
  let raw: unknown;
  let damage: string | undefined;
  try {
    raw = JSON.parse(text);
  } catch {
    damage = 'was not valid JSON (truncated or garbage); all preferences use their defaults';
  }
  const stored: Record<string, unknown> = {};
  if (!damage && (typeof raw !== 'object' || raw === null || Array.isArray(raw))) {
    damage = 'did not hold an object; all preferences use their defaults';
  } else if (!damage) {
    const bad: string[] = [];
    for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
      const problem = isKey(key) ? problemOf(key, value) : undefined;
      if (problem) bad.push(`"${key}" (${problem})`);
      else stored[key] = value;
    }
    if (bad.length > 0) damage = `had invalid values for ${bad.join(', ')}; those use their defaults`;
  }
  const preferences = { ...DEFAULT_PREFERENCES };
  for (const key of KEYS) if (Object.hasOwn(stored, key)) (preferences as Record<string, unknown>)[key] = stored[key];
  if (!damage) return { preferences, stored };
  try {
    const copy = keepCorruptCopy(file, now());
    // Write the repaired file atomically, so a crash now leaves either the old or the new file.
    const tmp = `${file}.repair-${process.pid}`;
    writeFileSync(tmp, `${JSON.stringify(stored, null, '\t')}\n`);
    renameSync(tmp, file);
    const keptAs = join(dirname(file), copy);
    return { preferences, stored, keptAs, warning: `The settings file ${damage}. The damaged file was kept as ${keptAs}.` };
  } catch (error) {
    throw new PlinthError('INTERNAL', `Cannot repair the settings file ${file}: ${(error as Error).message}`);
  }
}

/**
 * Opens the preferences in folder `dir` over a backend made by `makeBackend(dir, configName)`
 * (the file is `<dir>/settings.json`). The file is checked and repaired BEFORE the backend
 * reads it, since `conf` throws on a file it cannot parse.
 */
export function openPreferences(dir: string, makeBackend: (cwd: string, configName: string) => PreferencesBackend, options: { now?: () => Date } = {}): PreferencesStore {
  // The file both `conf` and electron-store write for this folder and name.
  const file = join(dir, `${SETTINGS_FILE_NAME}.json`);
  const loaded = loadSettingsFile(file, options.now);
  // Made on the first change: reading is done above, and opening `conf` costs milliseconds of every start.
  let opened: PreferencesBackend | undefined;
  const backend = () => (opened ??= makeBackend(dir, SETTINGS_FILE_NAME));
  let current: Preferences = loaded.preferences;
  const listeners = new Set<PreferencesListener>();
  return {
    get: () => ({ ...current }),
    set(patch) {
      const valid = validatePreferencesPatch(patch);
      const changed = KEYS.filter((key) => Object.hasOwn(valid, key) && valid[key] !== current[key]);
      if (changed.length === 0) return { ...current };
      const delta = Object.fromEntries(changed.map((key) => [key, valid[key]]));
      try {
        backend().set(delta);
      } catch (error) {
        throw new PlinthError('INTERNAL', `Cannot save preferences to ${file}: ${(error as Error).message}`);
      }
      current = { ...current, ...delta };
      const snapshot = { ...current };
      for (const listener of listeners) listener({ ...snapshot }, changed);
      return snapshot;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    lastLoadWarning: loaded.warning,
    lastLoadKeptAs: loaded.keptAs,
    path: file,
  };
}

/** Opens the preferences in `dir` with `conf` (Node: tests, the CLI, the e2e harness). */
export function createConfPreferences(dir: string, options: { now?: () => Date } = {}): PreferencesStore {
  return openPreferences(dir, (cwd, configName) => new Conf<Record<string, unknown>>({ cwd, configName }), options);
}
