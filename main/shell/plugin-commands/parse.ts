/**
 * The app's terminal commands (VS Code's `--install-extension` / `--list-extensions` habit):
 *
 * ```
 * plinth --list-plugins [--show-versions]
 * plinth --install-plugin <name[@version] | file.tgz | folder> [--approve-capabilities]
 * plinth --uninstall-plugin <id>
 * plinth --enable-plugin <id> [--approve-capabilities]
 * plinth --disable-plugin <id>
 * ```
 *
 * Each of `--install-plugin`, `--uninstall-plugin`, `--enable-plugin` and `--disable-plugin`
 * may be repeated; commands run in the order given. Arguments that are not Plinth's (Electron's
 * and Chromium's own switches, the app path in development) are ignored.
 */

/** One command. */
export type PluginCommand =
  | { kind: 'list'; showVersions: boolean }
  | { kind: 'install'; target: string; approveCapabilities: boolean }
  | { kind: 'uninstall'; id: string }
  | { kind: 'enable'; id: string; approveCapabilities: boolean }
  | { kind: 'disable'; id: string };

/** Bad command-line arguments; the message says what was expected. */
export class UsageError extends Error {
  override name = 'UsageError';
}

const WITH_VALUE = {
  '--install-plugin': 'install',
  '--uninstall-plugin': 'uninstall',
  '--enable-plugin': 'enable',
  '--disable-plugin': 'disable',
} as const;
const FLAGS = new Set(['--list-plugins', '--show-versions', '--approve-capabilities']);

/** The usage text printed with a usage error. */
export const USAGE = [
  'Usage:',
  '  plinth --list-plugins [--show-versions]',
  '  plinth --install-plugin <name[@version] | file.tgz | folder> [--approve-capabilities]',
  '  plinth --uninstall-plugin <id>',
  '  plinth --enable-plugin <id> [--approve-capabilities]',
  '  plinth --disable-plugin <id>',
].join('\n');

/** True when `argv` holds any Plinth command switch (the app then runs commands instead of opening windows). */
export function hasPluginCommands(argv: readonly string[]): boolean {
  return argv.some((a) => FLAGS.has(a) || Object.keys(WITH_VALUE).some((f) => a === f || a.startsWith(`${f}=`)));
}

/**
 * Reads the commands from `argv` (the whole process argv is fine). Empty when there is none.
 * @throws UsageError a switch without its value, `--show-versions` without `--list-plugins`,
 *   `--approve-capabilities` without an install or enable
 */
export function parsePluginCommands(argv: readonly string[]): PluginCommand[] {
  const commands: PluginCommand[] = [];
  let list = false;
  let showVersions = false;
  let approve = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--list-plugins') list = true;
    else if (arg === '--show-versions') showVersions = true;
    else if (arg === '--approve-capabilities') approve = true;
    else {
      const flag = (Object.keys(WITH_VALUE) as Array<keyof typeof WITH_VALUE>).find((f) => arg === f || arg.startsWith(`${f}=`));
      if (!flag) continue;
      const value = arg === flag ? argv[++i] : arg.slice(flag.length + 1);
      if (value === undefined || value === '' || value.startsWith('--')) throw new UsageError(`${flag} needs a value\n${USAGE}`);
      const kind = WITH_VALUE[flag];
      if (kind === 'install') commands.push({ kind, target: value, approveCapabilities: false });
      else if (kind === 'enable') commands.push({ kind, id: value, approveCapabilities: false });
      else commands.push({ kind, id: value });
    }
  }
  if (showVersions && !list) throw new UsageError(`--show-versions goes with --list-plugins\n${USAGE}`);
  if (approve && !commands.some((c) => c.kind === 'install' || c.kind === 'enable')) {
    throw new UsageError(`--approve-capabilities goes with --install-plugin or --enable-plugin\n${USAGE}`);
  }
  const withConsent = commands.map((c) => (c.kind === 'install' || c.kind === 'enable' ? { ...c, approveCapabilities: approve } : c));
  return list ? [...withConsent, { kind: 'list', showVersions }] : withConsent;
}
