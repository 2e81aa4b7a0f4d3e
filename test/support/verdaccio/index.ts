/**
 * A real npm registry for tests: Verdaccio in a child process on 127.0.0.1 (a port the OS
 * picks), with its storage, htpasswd file and config in a temp folder. It has no uplinks, so
 * nothing reaches the internet. Test plugins are published with the real `npm publish`.
 *
 * Access: everything is readable anonymously except the `@secure` scope, which needs a login;
 * publishing needs a login. `start` creates one user and returns its token.
 */
import { execFile, fork, type ChildProcess } from 'node:child_process';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { createTempDir, type AfterHook } from '../plugin-folders.ts';

const run = promisify(execFile);

/** A running Verdaccio and the npm commands tests drive it with. */
export interface TestRegistry {
  /** `http://127.0.0.1:<port>/` */
  url: string;
  /** The storage folder (`<storage>/<name>/<file>.tgz` are the published tarballs). */
  storage: string;
  /** A bearer token of the test user, who may read `@secure/*` and publish. */
  token: string;
  /** Runs `npm <args>` against this registry as the test user; resolves stdout. */
  npm(args: string[], cwd?: string): Promise<string>;
  /** `npm publish <dir>`. */
  publish(dir: string): Promise<void>;
  /** The published tarball of `name@version` in storage (to tamper with it). */
  tarballPath(name: string, version: string): Promise<string>;
  /** Stops the server (also done after the test file's hook). */
  stop(): Promise<void>;
}

/** Why start-up may take a while on a loaded machine: Verdaccio loads ~300 modules. */
const START_TIMEOUT_MS = 60_000;

function config(dir: string): string {
  return [
    `storage: ${JSON.stringify(path.join(dir, 'storage'))}`,
    'auth:',
    '  htpasswd:',
    `    file: ${JSON.stringify(path.join(dir, 'htpasswd'))}`,
    '    max_users: 10',
    'web:',
    '  enable: false',
    'uplinks: {}',
    'packages:',
    "  '@secure/*':",
    '    access: $authenticated',
    '    publish: $authenticated',
    '    unpublish: $authenticated',
    "  '**':",
    '    access: $all',
    '    publish: $authenticated',
    '    unpublish: $authenticated',
    'log: { type: stdout, format: json, level: fatal }',
    '',
  ].join('\n');
}

/**
 * Starts Verdaccio and waits for its listening signal (the child's IPC message), creates the
 * test user, and registers `stop` with `t.after`.
 * @throws when the child exits or does not listen within {@link START_TIMEOUT_MS}
 */
export async function startTestRegistry(t: AfterHook): Promise<TestRegistry> {
  const dir = createTempDir(t, 'plinth-verdaccio-');
  await mkdir(path.join(dir, 'storage'), { recursive: true });
  const configPath = path.join(dir, 'config.yaml');
  await writeFile(configPath, config(dir));
  const child: ChildProcess = fork(path.join(import.meta.dirname, 'child.ts'), [configPath], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill();
    await exited;
  };
  t.after(stop);
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Verdaccio did not listen within ${START_TIMEOUT_MS} ms\n${stderr}`)), START_TIMEOUT_MS);
    child.once('message', (m: { port: number }) => { clearTimeout(timer); resolve(m.port); });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`Verdaccio exited (${code}) before listening\n${stderr}`)); });
  });
  const url = `http://127.0.0.1:${port}/`;
  const res = await fetch(`${url}-/user/org.couchdb.user:tester`, {
    method: 'PUT', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'tester', password: 'test-password-1' }),
  });
  const { token } = (await res.json()) as { token?: string };
  if (!res.ok || !token) throw new Error(`Verdaccio refused the test user: ${res.status}`);
  const npmrc = path.join(dir, 'npmrc');
  await writeFile(npmrc, `registry=${url}\n//127.0.0.1:${port}/:_authToken=${token}\n`);
  const npm = async (args: string[], cwd = dir) => {
    const { stdout } = await run('npm', [...args, '--registry', url, '--userconfig', npmrc, '--no-audit', '--no-fund', '--loglevel', 'error'], {
      cwd, env: { ...process.env, npm_config_cache: path.join(dir, 'npm-cache'), npm_config_update_notifier: 'false' },
    });
    return stdout;
  };
  return {
    url, storage: path.join(dir, 'storage'), token, npm,
    publish: async (pluginDir) => { await npm(['publish', pluginDir, '--tag', 'latest']); },
    async tarballPath(name, version) {
      const folder = path.join(dir, 'storage', ...name.split('/'));
      const base = name.split('/').pop() ?? name;
      const file = (await readdir(folder)).find((f) => f === `${base}-${version}.tgz`);
      if (!file) throw new Error(`no tarball of ${name}@${version} in ${folder}`);
      return path.join(folder, file);
    },
    stop,
  };
}




/** What a published test plugin holds. */
export interface PublishSpec {
  name: string;
  version: string;
  capabilities?: string[];
  description?: string;
  readme?: string;
  /** Default `['plinth-plugin']`. */
  keywords?: string[];
  /** Replaces keys of the manifest (e.g. another `engines`). */
  manifest?: Record<string, unknown>;
}

/**
 * Writes a plugin folder (a manifest, a worker naming its version, a README) and publishes it
 * with `npm publish`. Returns the folder.
 */
export async function publishPlugin(registry: TestRegistry, parent: string, spec: PublishSpec): Promise<string> {
  const dir = path.join(parent, `${spec.name.replace(/[@/]/g, '_')}-${spec.version}`);
  await mkdir(dir, { recursive: true });
  const manifest = {
    name: spec.name, version: spec.version, description: spec.description ?? `Test plugin ${spec.name}`,
    type: 'module', author: 'Test Author', license: 'MIT', keywords: spec.keywords ?? ['plinth-plugin'],
    engines: { plinth: '^1.0.0' },
    plinth: { displayName: `Plugin ${spec.name}`, worker: 'worker.js', capabilities: spec.capabilities ?? ['plugin.state.read'] },
    ...spec.manifest,
  };
  await writeFile(path.join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  await writeFile(path.join(dir, 'worker.js'), `export const VERSION = '${spec.version}';\n`);
  await writeFile(path.join(dir, 'README.md'), spec.readme ?? `# ${spec.name}\n\nVersion ${spec.version}.\n`);
  await registry.publish(dir);
  return dir;
}

/** A 127.0.0.1 port nothing listens on (bound, then closed): an offline registry. */
export async function deadPort(): Promise<number> {
  const { createServer } = await import('node:net');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
