/**
 * `plinth-plugin list [--profile <dir>] [--json]`: the plugins of a Plinth profile with id,
 * version, state, source and `engines.plinth`. The default profile is the app's own folder
 * (Electron's `userData` of the app named "Plinth").
 */
import os from 'node:os';
import path from 'node:path';
import { readProfilePlugins, type ProfilePlugin } from '@plinth/host/profile-plugins';
import { parseCommandArgs } from '../args.ts';
import { EXIT, type CliCommand } from '../types.ts';

/**
 * The app's profile folder, where Electron puts `userData` for an app named "Plinth": the
 * platform's application-data folder (`app.getPath('appData')`) plus the app name.
 */
export function defaultProfileDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.PLINTH_USER_DATA_DIR) return env.PLINTH_USER_DATA_DIR;
  const home = os.homedir();
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Plinth');
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Plinth');
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'Plinth');
}

/** The table `list` prints: a header and one aligned row per plugin. */
export function formatPluginTable(plugins: ProfilePlugin[]): string {
  const rows = [['ID', 'VERSION', 'STATE', 'SOURCE', 'ENGINES.PLINTH'], ...plugins.map((p) => [
    p.id, p.version, p.enabled || p.state !== 'ready' ? p.state : `${p.state} (off)`, p.source, p.enginesPlinth ?? '?',
  ])];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')).join('\n');
}

const USAGE = [
  'Usage: plinth-plugin list [--profile <dir>] [--json]',
  '  Lists the plugins of a Plinth profile: id, version, lifecycle state, source and engines.plinth.',
  `  --profile <dir>   the profile folder (default: the app's, ${defaultProfileDir()}; or a folder used with run --profile)`,
  '  --json            print the list as JSON, with each plugin\'s folder and last error',
].join('\n');

export const listCommand: CliCommand = {
  summary: 'list the plugins of a Plinth profile with version, state, source and engines.plinth',
  usage: USAGE,
  async run(args, io) {
    const parsed = parseCommandArgs(args, io, { usage: USAGE, options: { profile: { type: 'string' }, json: { type: 'boolean' } }, maxPositionals: 0 });
    if (!parsed.ok) return parsed.exitCode;
    const dir = parsed.values.profile ? path.resolve(io.cwd ?? process.cwd(), parsed.values.profile) : defaultProfileDir();
    let plugins: ProfilePlugin[];
    try {
      plugins = readProfilePlugins(dir);
    } catch (error) {
      io.stderr.write(`error ${(error as { code?: string }).code ?? 'INTERNAL'}: ${(error as Error).message}\n`);
      return EXIT.failed;
    }
    if (parsed.values.json) io.stdout.write(`${JSON.stringify(plugins, null, 2)}\n`);
    else io.stdout.write(plugins.length === 0 ? `No plugins in ${dir}\n` : `${formatPluginTable(plugins)}\n`);
    return EXIT.ok;
  },
};
