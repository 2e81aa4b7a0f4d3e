/**
 * Makes tiny purpose-built plugin folders in a temp dir for tests (Joplin's habit): each a
 * package.json plus plain ES modules, no node_modules, exactly what an author would write.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** The part of a test context these helpers need: somewhere to register cleanup. */
export interface AfterHook { after(fn: () => unknown): void }

/** A fresh temp dir, removed with everything in it after the test. */
export function createTempDir(t: AfterHook, prefix = 'plinth-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A temp folder holding plugin folders; `cleanup()` removes it. */
export interface PluginRoot { dir: string; cleanup(): void }

/** Creates an empty temp root for plugin folders. */
export function createPluginRoot(prefix = 'plinth-plugins-'): PluginRoot {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Options of {@link writePlugin}. */
export interface PluginSpec {
  name: string;
  displayName?: string;
  version?: string;
  capabilities?: string[];
  activationEvents?: string[];
  /** Worker module source; a `worker` entry is declared when given. */
  worker?: string;
  /** UI module source and its slots. */
  ui?: { source: string; slots: unknown[] };
  /** Extra keys merged into `plinth`. */
  plinth?: Record<string, unknown>;
  /** Replaces package.json text entirely (for broken manifests). */
  rawManifest?: string;
}

/** Writes one plugin folder under `root` and returns its path. */
export function writePlugin(root: string, spec: PluginSpec): string {
  const dir = join(root, spec.name.replace('/', '__'));
  mkdirSync(dir, { recursive: true });
  const write = (rel: string, text: string) => {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  };
  if (spec.rawManifest !== undefined) {
    write('package.json', spec.rawManifest);
    return dir;
  }
  const manifest = {
    name: spec.name,
    version: spec.version ?? '1.0.0',
    type: 'module',
    engines: { plinth: '^1.0.0' },
    plinth: {
      displayName: spec.displayName ?? spec.name,
      ...(spec.worker !== undefined ? { worker: 'worker.js' } : {}),
      ...(spec.ui ? { ui: { entry: 'ui/index.js', slots: spec.ui.slots } } : {}),
      capabilities: spec.capabilities ?? [],
      ...(spec.activationEvents ? { activationEvents: spec.activationEvents } : {}),
      ...spec.plinth,
    },
  };
  write('package.json', JSON.stringify(manifest, null, 2));
  if (spec.worker !== undefined) write('worker.js', spec.worker);
  if (spec.ui) write('ui/index.js', spec.ui.source);
  return dir;
}

/** True while a process with this pid exists. */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Resolves once `pid` is gone; rejects after `deadlineMs` (a bounded poll of an OS fact, not a sleep-as-signal). */
export async function waitForPidGone(pid: number, deadlineMs = 10_000): Promise<void> {
  const until = Date.now() + deadlineMs;
  while (pidAlive(pid)) {
    if (Date.now() > until) throw new Error(`process ${pid} still alive after ${deadlineMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
