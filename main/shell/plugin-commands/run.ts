/**
 * Runs the terminal commands (parse.ts) against a host: the app's own when it is open, or one
 * started on the profile when it is closed. Output is for scripts: `--list-plugins` prints one
 * plugin id per line (`id@version` with `--show-versions`), other commands one line each on
 * stdout, and errors one line each on stderr, prefixed with `error:` and the error code.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Host } from '../../host/host.ts';
import { createPluginViews, type ViewHost } from '../plugin-views.ts';
import type { PluginCommand } from './parse.ts';

/**
 * Exit codes a script can rely on (README "Terminal commands"):
 * 0 done; 1 failed (the message says why); 2 bad arguments; 3 the plugin needs consent
 * (approve it in Plinth, or run again with `--approve-capabilities`); 4 no such plugin, package,
 * version or file; 5 the registry could not be reached or refused access.
 */
export const EXIT_CODES = { ok: 0, failed: 1, usage: 2, needsConsent: 3, notFound: 4, registry: 5 } as const;

/** What a run printed and how it ended. */
export interface CommandResult { exitCode: number; stdout: string[]; stderr: string[] }

/** The host methods the commands use. */
export type CommandHost = ViewHost & Pick<Host, 'management' | 'registryPlugins'>;

/** A command that failed with a known exit code and an `error:` line. */
class CommandFailure extends Error {
  readonly exitCode: number;
  readonly errorCode: string;
  constructor(exitCode: number, errorCode: string, message: string) {
    super(message);
    this.exitCode = exitCode;
    this.errorCode = errorCode;
  }
}

const words = (list: Array<{ description: string }>) => list.map((c) => c.description).join('; ');

function exitCodeOf(error: unknown): number {
  if (error instanceof CommandFailure) return error.exitCode;
  const { code, data } = error as { code?: string; data?: { reason?: string } };
  if (code === 'NOT_FOUND') return EXIT_CODES.notFound;
  if (code === 'NETWORK_ERROR' || data?.reason === 'auth' || data?.reason === 'registry') return EXIT_CODES.registry;
  return EXIT_CODES.failed;
}

async function kindOf(p: string): Promise<'file' | 'dir' | null> {
  try {
    const s = await stat(p);
    return s.isDirectory() ? 'dir' : 'file';
  } catch {
    return null;
  }
}

/** Runs one command, writing its lines to `out`. @throws CommandFailure or the host's PlinthError */
async function runOne(host: CommandHost, command: PluginCommand, cwd: string, out: string[]): Promise<void> {
  const views = createPluginViews(host);
  switch (command.kind) {
    case 'list':
      for (const p of views.summaries().filter((s) => s.state !== 'uninstalled').sort((a, b) => a.id.localeCompare(b.id))) {
        out.push(command.showVersions ? `${p.id}@${p.version}` : p.id);
      }
      return;
    case 'install': {
      const local = path.resolve(cwd, command.target);
      const kind = await kindOf(local);
      if (!kind && /\.t(ar\.)?gz$/i.test(command.target)) {
        throw new CommandFailure(EXIT_CODES.notFound, 'NOT_FOUND', `the file ${local} does not exist`);
      }
      const before = new Map(views.summaries().map((p) => [p.id, p.version]));
      let id: string;
      let outcome: 'installed' | 'upgraded' | 'upgrade_pending';
      if (kind === 'dir') {
        id = await host.management.loadUnpacked(local);
        outcome = before.has(id) ? 'upgraded' : 'installed';
      } else {
        const result = kind === 'file' ? await host.management.installFromFile(local) : await host.registryPlugins.install(command.target);
        id = result.pluginId;
        outcome = result.outcome;
      }
      let plugin = views.summary(id);
      const from = before.get(id);
      if (outcome === 'upgrade_pending') {
        const added = plugin.pendingUpgrade?.addedCapabilities ?? [];
        if (!command.approveCapabilities) {
          out.push(`${id} ${plugin.pendingUpgrade?.version ?? ''} waits for your approval in Plinth: it also asks to: ${words(added)}. ${id} ${plugin.version} keeps running.`);
          return;
        }
        await host.management.approveUpgrade(id);
        plugin = views.summary(id);
        out.push(`Updated ${id} ${from} → ${plugin.version}; approved: ${words(added)}`);
        return;
      }
      if (outcome === 'upgraded' && from !== undefined) out.push(`Updated ${id} ${from} → ${plugin.version}`);
      else out.push(`Installed ${id}@${plugin.version}`);
      if (plugin.enabled || plugin.source === 'bundled') return;
      if (command.approveCapabilities) {
        await host.management.enable(id, { approveCapabilities: true });
        plugin = views.summary(id);
        out.push(`Enabled ${id}${plugin.capabilities.length ? `; approved: ${words(plugin.capabilities)}` : ''}`);
      } else if (from === undefined) {
        out.push(`${id} is disabled until you approve what it asks to do (${words(plugin.capabilities) || 'nothing'}): in Plinth, or run again with --approve-capabilities.`);
      }
      return;
    }
    case 'uninstall': {
      await host.management.uninstall(command.id);
      const gone = views.uninstalled().find((u) => u.id === command.id);
      out.push(`Uninstalled ${command.id}${gone ? `; its settings and data are kept until ${gone.purgeAfter.slice(0, 10)}` : ''}`);
      return;
    }
    case 'enable': {
      const plugin = views.summary(command.id);
      if (plugin.needsConsent && !command.approveCapabilities) {
        throw new CommandFailure(EXIT_CODES.needsConsent, 'NEEDS_CONSENT',
          `${command.id} asks to: ${words(plugin.capabilities)}. Approve it in Plinth, or run again with --approve-capabilities.`);
      }
      await host.management.enable(command.id, { approveCapabilities: command.approveCapabilities });
      const enabled = views.summary(command.id);
      out.push(`Enabled ${command.id}${enabled.state === 'ready' ? '' : ` (${enabled.state}${enabled.error ? `: ${enabled.error}` : ''})`}`);
      return;
    }
    case 'disable':
      await host.management.setEnabled(command.id, false);
      out.push(`Disabled ${command.id}`);
      return;
  }
}

/**
 * Runs `commands` in order, stopping at the first that fails (later ones may depend on it).
 * Never throws: a failure is an exit code and a line on stderr.
 */
export async function runPluginCommands(host: CommandHost, commands: readonly PluginCommand[], cwd: string): Promise<CommandResult> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  for (const command of commands) {
    try {
      await runOne(host, command, cwd, stdout);
    } catch (error) {
      const e = error as { code?: string; errorCode?: string; message?: string };
      stderr.push(`error: ${e.errorCode ?? e.code ?? 'FAILED'}: ${(e.message ?? String(error)).replace(/\n/g, ' ')}`);
      return { exitCode: exitCodeOf(error), stdout, stderr };
    }
  }
  return { exitCode: EXIT_CODES.ok, stdout, stderr };
}
