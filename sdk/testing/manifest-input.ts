/**
 * The manifest a harness runs with: read from a plugin folder or taken as an object, and
 * validated by the host's own manifest validator (docs/plugin-api.md §2), so a manifest the app would
 * refuse never reaches a test.
 */
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { PluginSource } from '../protocol/lifecycle.ts';
import { formatProblem, validateManifestObject, validatePluginFolder, type Problem } from '@plinth/host/manifest';
import { PlinthError } from '../protocol/errors.ts';
import type { PluginManifest } from '../protocol/manifest.ts';

/** A validated manifest and where its plugin lives. */
export interface HarnessManifest {
  manifest: PluginManifest;
  /** Warnings the app would show in Settings, one line each. */
  warnings: string[];
  /** Real path of the plugin folder, when known. */
  pluginDir: string | undefined;
}

function refuse(name: unknown, problems: Problem[]): PlinthError {
  const lines = problems.map(formatProblem);
  const who = typeof name === 'string' ? `of "${name}" ` : '';
  return new PlinthError('INVALID_INPUT', `The manifest ${who}is invalid; Plinth would refuse this plugin:\n- ${lines.join('\n- ')}`, { problems: lines });
}

/**
 * Resolves and validates a manifest.
 *
 * @param manifest a parsed `package.json` object, or the path of a plugin folder or of its `package.json`.
 * @param pluginDir the plugin folder; default the folder of a manifest path. Entry files
 *   (`worker`, `ui.entry`, `icon`) are checked when it is known.
 * @param source where the plugin comes from; only `bundled` may use reserved `plinth-` names.
 * @throws PlinthError `INVALID_INPUT` listing every problem (`data.problems`, one line each).
 */
export async function loadHarnessManifest(
  manifest: string | object, pluginDir: string | undefined, source: PluginSource,
): Promise<HarnessManifest> {
  if (typeof manifest === 'string') {
    const target = path.resolve(manifest);
    const isFile = await stat(target).then((info) => info.isFile(), () => false);
    const folder = isFile ? path.dirname(target) : target;
    const result = await validatePluginFolder(folder, { source });
    if (!result.ok) throw refuse(result.id, result.problems);
    const dir = pluginDir === undefined ? result.realDir : await realpath(pluginDir);
    return { manifest: result.manifest, warnings: result.warnings.map(formatProblem), pluginDir: dir };
  }
  let realDir: string | undefined;
  if (pluginDir !== undefined) {
    try {
      realDir = await realpath(pluginDir);
    } catch {
      throw new PlinthError('INVALID_INPUT', `pluginDir ${pluginDir} does not exist`);
    }
  }
  // A copy: the validator's result must not alias an object the test may change afterwards.
  const result = await validateManifestObject(structuredClone(manifest), { source, ...(realDir ? { realDir } : {}) });
  if (!result.ok) throw refuse((manifest as { name?: unknown }).name, result.problems);
  return { manifest: result.manifest, warnings: result.warnings.map(formatProblem), pluginDir: realDir };
}
