/** `plinth-plugin validate [dir]`: checks a plugin folder like the host will, naming every problem. */
import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PluginSource } from '../../protocol/lifecycle.ts';
import type { PluginManifest } from '../../protocol/manifest.ts';
import { formatProblem, isPathInside, validatePluginFolder, type ManifestResult, type Problem } from '@plinth/host/manifest';
import { parseCommandArgs } from '../args.ts';
import { checkPluginModules } from '../check-modules.ts';
import { EXIT, type CliCommand, type CliIo } from '../types.ts';

/** The repository's bundled plugins: folders inside it may use the reserved `plinth-` names. */
const BUNDLED_PLUGINS_DIR = fileURLToPath(new URL('../../../plugins/', import.meta.url));

/** `bundled` for a folder inside the repository's `plugins/`, else `unpacked` (a folder under development). */
export async function sourceForDir(dir: string): Promise<PluginSource> {
  try {
    const [bundled, real] = await Promise.all([realpath(BUNDLED_PLUGINS_DIR), realpath(dir)]);
    return real !== bundled && isPathInside(bundled, real) ? 'bundled' : 'unpacked';
  } catch {
    return 'unpacked';
  }
}

/**
 * Validates `dir` (resolved against `cwd`) as the CLI does: the manifest as the host checks it,
 * then its worker and UI modules (they parse; the components it names are exported).
 */
export async function validateForCli(dir: string, cwd: string): Promise<ManifestResult> {
  const abs = path.resolve(cwd, dir);
  const result = await validatePluginFolder(abs, { source: await sourceForDir(abs) });
  if (!result.ok) return result;
  const { errors, warnings } = await checkPluginModules(result.realDir, result.manifest);
  const allWarnings = [...result.warnings, ...warnings];
  if (errors.length === 0) return { ...result, warnings: allWarnings };
  const { manifest } = result;
  return { ok: false, problems: errors, warnings: allWarnings, dir: result.dir, id: manifest.name, displayName: manifest.plinth.displayName, version: manifest.version };
}

const plural = (n: number, word: string, many = `${word}s`) => `${n} ${n === 1 ? word : many}`;

/** One line describing a valid plugin: `✓ @acme/x 1.0.0 "X": worker, ui (1 slot), 5 capabilities`. */
export function summaryLine(manifest: PluginManifest): string {
  const p = manifest.plinth;
  const parts: string[] = [];
  if (p.worker) parts.push('worker');
  if (p.ui) {
    const inner = [plural(p.ui.slots?.length ?? 0, 'slot')];
    if (p.ui.launchers?.length) inner.push(plural(p.ui.launchers.length, 'launcher'));
    parts.push(`ui (${inner.join(', ')})`);
  }
  if (p.jobs?.length) parts.push(plural(p.jobs.length, 'job'));
  if (p.webhooks?.length) parts.push(plural(p.webhooks.length, 'webhook'));
  if (p.tools?.length) parts.push(plural(p.tools.length, 'tool'));
  parts.push(plural(p.capabilities?.length ?? 0, 'capability', 'capabilities'));
  return `✓ ${manifest.name} ${manifest.version} ${JSON.stringify(p.displayName)}: ${parts.join(', ')}`;
}

/** Prints warnings (`warning: …`) and, for a refused folder, a header and one `error: …` line per problem, to stderr. */
export function printResult(result: ManifestResult, io: CliIo): void {
  const lines = (kind: string, problems: Problem[]) => problems.map((p) => `${kind}: ${formatProblem(p)}\n`).join('');
  if (!result.ok) {
    io.stderr.write(`✗ ${result.dir} is not a valid Plinth plugin (${plural(result.problems.length, 'problem')}):\n`);
    io.stderr.write(lines('error', result.problems));
  }
  io.stderr.write(lines('warning', result.warnings));
}

const USAGE = [
  'Usage: plinth-plugin validate [dir]',
  '  Checks the plugin folder dir (default: the current folder) as Plinth will load it: the manifest,',
  '  then the worker and UI modules (syntax errors with file:line:column; every exportName and',
  '  launcher action.target exported by the UI entry).',
].join('\n');

export const validateCommand: CliCommand = {
  summary: 'check a plugin folder and name every problem in its manifest',
  usage: USAGE,
  async run(args, io) {
    const parsed = parseCommandArgs(args, io, { usage: USAGE, options: {}, maxPositionals: 1 });
    if (!parsed.ok) return parsed.exitCode;
    const result = await validateForCli(parsed.positionals[0] ?? '.', io.cwd ?? process.cwd());
    printResult(result, io);
    if (!result.ok) return EXIT.failed;
    io.stdout.write(`${summaryLine(result.manifest)}\n`);
    return EXIT.ok;
  },
};
