/**
 * The environment of a worker process. Plugins are untrusted, so they never see the app's
 * environment (which may hold tokens, proxies with credentials, or `NODE_OPTIONS`): only a
 * short allowlist of locale and OS variables, plus what the host sets.
 */

/**
 * Variables copied from the app's environment when set:
 * - `LANG`, `LC_ALL`, `TZ`: locale and time zone, so dates and `Intl` match the user's.
 * - Windows `SystemRoot`: without it Windows sockets and crypto fail to initialise.
 * `PATH` and `HOME` are left out on purpose: a worker needs neither (Node finds the home
 * directory from the OS user database, the temp dir defaults to the OS one).
 */
export const WORKER_ENV_ALLOWLIST: readonly string[] =
  process.platform === 'win32' ? ['LANG', 'LC_ALL', 'TZ', 'SystemRoot'] : ['LANG', 'LC_ALL', 'TZ'];

/**
 * Builds a worker's environment: the allowlisted variables from `source` (default the app's
 * `process.env`) plus `extra`, which wins.
 *
 * @param extra host-set variables, e.g. `{ PLINTH_PLUGIN_ID: 'acme-sync' }`.
 */
export function buildWorkerEnv(extra: Record<string, string>, source: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of WORKER_ENV_ALLOWLIST) {
    const value = source[name];
    if (value !== undefined) env[name] = value;
  }
  return { ...env, ...extra };
}
