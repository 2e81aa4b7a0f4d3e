/**
 * Validates a plugin folder against everything CONTRACT §2 lists, reporting every problem at
 * once (not only the first), each naming its field, so an author fixes a manifest in one pass.
 */
import path from 'node:path';
import type { z } from 'zod';
import type { PluginSource } from '@plinth/sdk/protocol/lifecycle';
import type { PluginManifest } from '@plinth/sdk/protocol/manifest';
import { checkEntryPaths } from './paths.ts';
import { fieldPath, problem, type Problem } from './problem.ts';
import { readManifestJson } from './read-manifest.ts';
import { checkManifestRules } from './rules.ts';
import { manifestSchema } from './schema.ts';
import { findUnknownKeys } from './unknown-keys.ts';

/** Options of {@link validatePluginFolder}. */
export interface ValidateOptions {
  /** Where the folder comes from; only `bundled` plugins may use reserved names. */
  source: PluginSource;
  /** The host plugin API version to check `engines.plinth` against; default `PLUGIN_API_VERSION`. */
  hostApiVersion?: string;
}

/**
 * Outcome of validating a plugin folder. `dir` is the folder as given (made absolute);
 * `realDir` its real path. A refused folder still carries what could be read of its identity.
 */
export type ManifestResult =
  | { ok: true; manifest: PluginManifest; dir: string; realDir: string; warnings: Problem[] }
  | { ok: false; problems: Problem[]; warnings: Problem[]; dir: string; id?: string; displayName?: string; version?: string };

/** What to add when a required field is missing, by field. */
const REQUIRED_HINTS: Record<string, string> = {
  name: 'the plugin id, an npm package name such as "@acme/kanban-overview"',
  version: 'a semver version such as "1.0.0"',
  engines: 'add "engines": { "plinth": "^1.0.0" }',
  'engines.plinth': 'the range of the Plinth plugin API the plugin needs, such as "^1.0.0"',
  plinth: 'add a "plinth" block with at least "displayName" (see docs/plugin-api.md §2)',
  'plinth.displayName': 'the name people see, such as "Kanban overview"',
  'plinth.ui.entry': 'the UI module, such as "dist/ui/index.js"',
};

const ARTICLE: Record<string, string> = { int: 'an integer', array: 'an array', object: 'an object' };

/** Turns a zod issue into a problem worded for a plugin author. */
function issueToProblem(issue: z.core.$ZodIssue): Problem {
  const field = fieldPath(issue.path);
  const input = 'input' in issue ? issue.input : undefined;
  switch (issue.code) {
    case 'invalid_type': {
      if (input === undefined) {
        const hint = REQUIRED_HINTS[field];
        return problem(field, hint ? `is required: ${hint}` : 'is required');
      }
      return problem(field, `must be ${ARTICLE[issue.expected] ?? `a ${issue.expected}`}`, input);
    }
    case 'invalid_value':
      return problem(field, `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`, input);
    default:
      return problem(field, issue.message, input);
  }
}

/** The best-effort identity of a raw manifest, for listing a refused plugin. */
function rawIdentity(raw: Record<string, unknown>): { id?: string; displayName?: string; version?: string } {
  const plinth = typeof raw.plinth === 'object' && raw.plinth !== null ? (raw.plinth as Record<string, unknown>) : {};
  const str = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v : undefined);
  const id = str(raw.name);
  const displayName = str(plinth.displayName);
  const version = str(raw.version);
  return { ...(id ? { id } : {}), ...(displayName ? { displayName } : {}), ...(version ? { version } : {}) };
}

/**
 * Validates the plugin folder `dir`: its `package.json` (CONTRACT §2) and the files it names.
 * Never throws for a bad folder; every problem is in the result.
 *
 * Errors: missing/invalid `package.json` (JSON errors with line and column); `name` not a valid
 * npm name with a kebab-case unscoped part, or reserved (`plinth-`, `@plinth/`) outside bundled
 * plugins; `version` not semver; `engines.plinth` not a range or not satisfied by the host API
 * version; `displayName` missing; `worker`/`ui.entry`/`icon` not relative, missing, not a file,
 * or outside the folder after symlinks; unknown slot types, capabilities, launcher action/render
 * values; a slot, launcher, job, webhook or tool without its capability; bad cron schedules;
 * duplicate slot/launcher ids, job keys, endpoint keys, tool names; `configSchema` and tool
 * `parametersSchema` not JSON Schema 2020-12 objects; bad activation events.
 * Warnings: unknown keys in the `plinth` block, duplicate capabilities, likely JSON Schema typos,
 * jobs/webhooks/tools/activation events without a worker, a `.js` worker without `"type": "module"`.
 */
export async function validatePluginFolder(dir: string, options: ValidateOptions): Promise<ManifestResult> {
  const absDir = path.resolve(dir);
  const read = await readManifestJson(absDir);
  if (!read.ok) return { ok: false, dir: absDir, problems: [read.problem], warnings: [] };
  const { raw, realDir } = read;
  const checked = await validateManifestObject(raw, { ...options, realDir });
  if (!checked.ok) return { ...checked, dir: absDir, ...rawIdentity(raw) };
  return { ...checked, dir: absDir, realDir };
}

/** Outcome of {@link validateManifestObject}. */
export type ManifestObjectResult =
  | { ok: true; manifest: PluginManifest; warnings: Problem[] }
  | { ok: false; problems: Problem[]; warnings: Problem[] };

/**
 * Validates an already parsed `package.json` object with the same rules as
 * {@link validatePluginFolder}, for callers that hold the JSON (the `@plinth/sdk/testing`
 * harness). The files it names (`worker`, `ui.entry`, `icon`) are checked only when
 * `options.realDir`, the real path of the plugin folder, is given. Never throws.
 */
export async function validateManifestObject(raw: unknown, options: ValidateOptions & { realDir?: string }): Promise<ManifestObjectResult> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, problems: [problem('package.json', 'must contain a JSON object', raw)], warnings: [] };
  }
  const record = raw as Record<string, unknown>;
  const problems: Problem[] = [];
  const parsed = manifestSchema.safeParse(record, { reportInput: true });
  if (!parsed.success) problems.push(...parsed.error.issues.map(issueToProblem));
  const rules = checkManifestRules(record, options);
  problems.push(...rules.problems, ...(options.realDir === undefined ? [] : await checkEntryPaths(options.realDir, record)));
  const warnings = [...findUnknownKeys(record), ...rules.warnings];
  if (!parsed.success || problems.length > 0) return { ok: false, problems, warnings };
  return { ok: true, manifest: parsed.data as PluginManifest, warnings };
}

/** A plugin's identity for listing, whether or not its manifest is valid. */
export interface ManifestIdentity {
  /** The manifest `name`, else the folder name (`@scope/name` for a folder inside a scope folder). */
  id: string;
  /** `plinth.displayName`, else the id. */
  displayName: string;
  /** The manifest `version`, else `''` (unknown). */
  version: string;
}

/** The best-effort identity of a validated folder, so a refused plugin can still be listed and named. */
export function manifestIdentity(result: ManifestResult): ManifestIdentity {
  if (result.ok) {
    return { id: result.manifest.name, displayName: result.manifest.plinth.displayName, version: result.manifest.version };
  }
  const base = path.basename(result.dir);
  const parent = path.basename(path.dirname(result.dir));
  const id = result.id ?? (parent.startsWith('@') ? `${parent}/${base}` : base);
  return { id, displayName: result.displayName ?? id, version: result.version ?? '' };
}
