/**
 * `plinth-plugin dev <dir>`: the author's plugin in the real host core (the same dev host as
 * `run`, with the folder watched), and the real Plinth shell served on 127.0.0.1 and opened in
 * the author's browser (`@plinth/dev-shell`): the bridge reaches the host over a local WebSocket
 * that only the printed URL's token opens. The main window opens at the slot preview, which
 * shows every slot and launcher of the plugin with a picker for the entity they are shown for.
 * Saving a file of the plugin restarts its worker and reloads its frames; the page says so.
 * Runs until Ctrl+C (or SIGTERM), also one during start-up, then stops the worker, deletes the
 * temporary profile and exits 130, as `run` does.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import type * as DevShell from '@plinth/dev-shell';
import type { DevServer } from '@plinth/dev-shell';
import { createStateService } from '@plinth/host/services/state';
import { PlinthError } from '../../protocol/errors.ts';
import { PLUGIN_API_VERSION, type PluginManifest } from '../../protocol/manifest.ts';
import { seedFixtures, type WorkspaceFixtures } from '../../testing/fixtures.ts';
import { parseCommandArgs } from '../args.ts';
import type { DevHost } from '../dev-host.ts';
import { EXIT, type CliCommand, type CliIo } from '../types.ts';
import { closeDevHost, describeFailure, formatLogLine, loadDevHost, onStopSignal, printFailure, validatedPlugin } from './run.ts';
import { readSeedFile, UsageError } from './run-request.ts';
import { sourceForDir } from './validate.ts';

const DEV_USAGE = [
  'Usage: plinth-plugin dev [dir] [options]',
  '',
  '  Starts the plugin folder dir (default: the current folder) in a local Plinth host and opens',
  '  the Plinth shell in your browser at a page showing every slot of the plugin. Saving a file',
  '  reloads the worker and the plugin\'s frames. Prints the URL, the webhook URLs and the MCP URL.',
  '  Ctrl+C stops it with exit 130 (the temporary profile is deleted unless --profile is given).',
  '',
  'Options:',
  '  --port <n>         port on 127.0.0.1 for the shell (default: a free one; 0 = a free one)',
  '  --no-open          print the URL without opening a browser',
  '  --seed <file>      workspace fixtures to create first (as for run); default: a sample project',
  '  --profile <dir>    keep the workspace, state, config and ctx.dataDir in dir between runs',
].join('\n');

const DEV_OPTIONS = {
  port: { type: 'string' },
  'no-open': { type: 'boolean' },
  seed: { type: 'string' },
  profile: { type: 'string' },
} as const;

/** The app version the dev shell reports (About, logs). */
const DEV_APP_VERSION = 'plinth-plugin-dev';
/** The workspace a fresh profile starts with, so the entity picker has a project, tasks and a comment. */
const SAMPLE_WORKSPACE: WorkspaceFixtures = {
  projects: [{
    name: 'Sample project', description: 'Made by plinth-plugin dev',
    tasks: [
      { title: 'Write the plugin', status: 'in_progress', priority: 'high', comments: [{ body: 'A first comment', author: 'dev' }] },
      { title: 'Ship it', status: 'todo' },
    ],
  }],
};

/** The platform's command that opens a URL in the default browser. */
export function openerCommand(platform: NodeJS.Platform, url: string): { command: string; args: string[] } {
  if (platform === 'darwin') return { command: 'open', args: [url] };
  if (platform === 'win32') return { command: 'cmd', args: ['/c', 'start', '""', url] };
  return { command: 'xdg-open', args: [url] };
}

/** Opens `url` in the default browser; resolves with the problem, if the opener could not start. */
function openInBrowser(url: string): Promise<string | undefined> {
  const { command, args } = openerCommand(process.platform, url);
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: 'ignore', detached: true });
    child.once('error', (error) => resolve(`could not run ${command} (${error.message})`));
    child.once('spawn', () => {
      child.unref();
      resolve(undefined);
    });
  });
}

/**
 * Loads `@plinth/dev-shell` (the shell's server; it needs the built shell and the host's shell
 * layer, so it is a package of its own beside `@plinth/sdk`).
 * @throws PlinthError `NOT_FOUND` saying what to install when it is not installed
 */
async function loadShell(): Promise<typeof DevShell> {
  try {
    return await import('@plinth/dev-shell');
  } catch (error) {
    const missing = (error as { code?: unknown }).code === 'ERR_MODULE_NOT_FOUND' && String((error as Error).message).includes('@plinth/dev-shell');
    if (!missing) throw error;
    throw new PlinthError('NOT_FOUND', 'plinth-plugin dev needs the package @plinth/dev-shell (the Plinth shell for your browser) next to @plinth/sdk: npm install --save-dev @plinth/dev-shell');
  }
}

/** The lines printed once the shell is up: where to look, and the plugin's URLs. */
function banner(dev: DevHost, server: DevServer, manifest: PluginManifest, realDir: string): string[] {
  const { host, pluginId } = dev;
  const lines = [`Plinth dev shell for ${manifest.plinth.displayName} (${pluginId} ${manifest.version}):`, `  Open     ${server.url(`/dev/${encodeURIComponent(pluginId)}`)}`];
  for (const webhook of manifest.plinth.webhooks ?? []) {
    lines.push(`  Webhook  ${webhook.endpointKey}: ${host.services.webhooks.urlFor(pluginId, webhook.endpointKey) ?? '(not listening: is the plugin enabled?)'}`);
  }
  const mcp = host.ops.mcpServer();
  if (mcp) lines.push(`  MCP      ${mcp.url}  (header Authorization: Bearer ${mcp.token}; tools: ${host.services.tools.list().filter((t) => t.pluginId === pluginId).map((t) => t.qualifiedName).join(', ') || 'none'})`);
  lines.push(`Watching ${realDir}: saving a file reloads the worker and the plugin's frames. Ctrl+C stops.`);
  return lines;
}

interface DevRequest { dir: string; port: number; open: boolean; seed: unknown; profileDir: string | undefined }

function toDevRequest(values: { port?: string; 'no-open'?: boolean; seed?: string; profile?: string }, positionals: string[], cwd: string): Omit<DevRequest, 'seed'> & { seedFile: string | undefined } {
  const port = values.port === undefined ? 0 : /^\d+$/.test(values.port) ? Number(values.port) : Number.NaN;
  if (!(port >= 0 && port <= 65535)) throw new UsageError(`--port must be a port number from 0 to 65535, got "${values.port}"`);
  return {
    dir: positionals[0] ?? '.', port, open: values['no-open'] !== true, seedFile: values.seed,
    profileDir: values.profile === undefined ? undefined : path.resolve(cwd, values.profile),
  };
}

/** What start-up has opened so far, and whether a stop signal has come. */
interface DevStartup { stopped: boolean; dev?: DevHost; server?: DevServer }

/**
 * Starts the dev shell step by step. A step that has begun runs to its end, but once a stop
 * signal came (`startup.stopped`) no further step begins.
 * @returns the exit code when the plugin is invalid, else `undefined` (started or stopped)
 */
async function startDev(request: DevRequest, io: CliIo, startup: DevStartup): Promise<number | undefined> {
  const validation = await validatedPlugin(request.dir, io);
  if (!validation.ok) return validation.exitCode;
  const { manifest, realDir } = validation;
  const { openDevHost } = await loadDevHost();
  // Loaded after the dev host, whose import already set up (and cleaned) the signal hooks.
  const shell = await loadShell();
  const problem = shell.rendererProblem();
  if (problem) throw new PlinthError('NOT_FOUND', problem);
  if (startup.stopped) return undefined;
  const dev = await openDevHost({
    realDir, pluginId: manifest.name, source: await sourceForDir(realDir), watch: true,
    ...(request.profileDir ? { profileDir: request.profileDir } : {}),
    onLog: (line) => io.stderr.write(`${formatLogLine(line)}\n`),
  });
  startup.dev = dev;
  if (startup.stopped) return undefined;
  const { host } = dev;
  if (request.seed !== undefined || host.ops.workspaceOverview().projects.length === 0) {
    seedFixtures(host.services.workspace, createStateService(host.db), manifest.name, request.seed ?? SAMPLE_WORKSPACE);
  }
  // Reload and Logs in Settings, and the MCP server for the plugin's tools.
  await host.ops.setPreferences({ developerMode: true });
  await host.ops.setMcpEnabled(true);
  await dev.enable();
  if (host.config.view(manifest.name).errors.length > 0) {
    io.stderr.write(`[dev] ${manifest.name} needs its settings: fill them in under Settings → Plugins in the browser\n`);
  }
  if (startup.stopped) return undefined;
  const server = await shell.startDevServer({
    host, rendererDir: shell.RENDERER_DIR, port: request.port,
    appInfo: { version: DEV_APP_VERSION, pluginApiVersion: PLUGIN_API_VERSION, platform: process.platform },
    openExternal: async (url) => {
      io.stdout.write(`[dev] the shell opens ${url}\n`);
      if (request.open) await openInBrowser(url);
    },
  });
  startup.server = server;
  if (startup.stopped) return undefined;
  host.onPluginsChanged((event) => {
    if (event.pluginId === manifest.name && event.reload) io.stdout.write(`[dev] reloaded ${manifest.name}: worker restarted, frames reloading\n`);
  });
  io.stdout.write(`${banner(dev, server, manifest, realDir).join('\n')}\n`);
  if (request.open) {
    const opened = await openInBrowser(server.url(`/dev/${encodeURIComponent(manifest.name)}`));
    if (opened) io.stderr.write(`[dev] ${opened}: open the URL above yourself\n`);
  }
  return undefined;
}

/**
 * Runs the dev shell until a stop signal, which may also come during start-up; then closes the
 * server and the host (no worker is left) and returns {@link EXIT.interrupted}.
 * @returns the exit code
 */
async function runDev(request: DevRequest, io: CliIo): Promise<number> {
  // Listened for from the first step on, so that Ctrl+C during start-up stops it at the next step.
  const stop = onStopSignal();
  const startup: DevStartup = { stopped: false };
  void stop.signalled.then(() => { startup.stopped = true; });
  try {
    const invalid = await startDev(request, io, startup);
    if (invalid !== undefined) return invalid;
    io.stderr.write(`plinth-plugin dev: stopped by ${await stop.signalled}\n`);
    return EXIT.interrupted;
  } catch (error) {
    const { code, message } = describeFailure(error);
    return printFailure(io, code, message);
  } finally {
    stop.dispose();
    await startup.server?.close();
    await closeDevHost(startup.dev, io);
  }
}

export const devCommand: CliCommand = {
  summary: 'start a plugin folder with the Plinth shell in your browser, every slot shown, reloaded on save',
  usage: DEV_USAGE,
  async run(args, io) {
    const parsed = parseCommandArgs(args, io, { usage: DEV_USAGE, options: DEV_OPTIONS, maxPositionals: 1 });
    if (!parsed.ok) return parsed.exitCode;
    const cwd = io.cwd ?? process.cwd();
    let request: DevRequest;
    try {
      const { seedFile, ...rest } = toDevRequest(parsed.values as never, parsed.positionals, cwd);
      request = { ...rest, seed: seedFile === undefined ? undefined : await readSeedFile(seedFile, cwd) };
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      io.stderr.write(`error INVALID_INPUT: ${error.message}\n${DEV_USAGE}\n`);
      return EXIT.usage;
    }
    return runDev(request, io);
  },
};
