/**
 * Tiny purpose-built plugins for e2e tests, written into temp plugin roots (STYLE.md: Joplin's
 * fixtures). Each is a plain folder of ES modules, as CONTRACT §1 allows.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { packPlugin } from '../../../sdk/cli/commands/pack.ts';
import { createTempDir, type AfterHook } from '../../support/plugin-folders.ts';

/** A temp plugin root, removed after the test. */
export function makePluginRoot(t: AfterHook): string {
  return createTempDir(t, 'plinth-e2e-plugins-');
}

/** Writes one plugin folder: `package.json` from `manifest` (or raw text) plus `files`. */
export function writePlugin(root: string, folder: string, manifest: object | string, files: Record<string, string> = {}): string {
  const dir = path.join(root, folder);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'package.json'), typeof manifest === 'string' ? manifest : JSON.stringify(manifest, null, 2));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

function manifest(name: string, plinth: object): object {
  return { name, version: '1.0.0', description: `e2e test plugin ${name}`, type: 'module', engines: { plinth: '^1.0.0' }, plinth };
}

/**
 * A UI-only plugin whose widget tries to escape its frame and renders what happened as JSON
 * in `[data-testid=probe-results]`. `target` is a local server that must see no request.
 */
export function writeProbePlugin(root: string, target: string): string {
  const ui = `import { createElement as h, useEffect, useState } from 'react';
const TARGET = ${JSON.stringify(target)};
const outcome = (e) => 'blocked: ' + (e && e.name ? e.name : String(e));
async function probe() {
  const r = {};
  try { await fetch(TARGET + 'fetch'); r.fetch = 'allowed'; } catch (e) { r.fetch = outcome(e); }
  r.image = await new Promise((done) => {
    const img = new Image();
    img.onload = () => done('allowed');
    img.onerror = () => done('blocked');
    img.src = TARGET + 'image.png';
  });
  try { localStorage.getItem('x'); r.localStorage = 'allowed'; } catch (e) { r.localStorage = outcome(e); }
  try { r.parentDocument = 'allowed: ' + parent.document.title; } catch (e) { r.parentDocument = outcome(e); }
  try { r.parentBridge = typeof parent.plinth; } catch (e) { r.parentBridge = outcome(e); }
  r.ownBridge = typeof window.plinth;
  if (typeof window.__plinthInvoke === 'function') {
    try { r.ipc = JSON.stringify(await window.__plinthInvoke('plugins.list', undefined)); } catch (e) { r.ipc = outcome(e); }
  } else r.ipc = 'absent';
  try { window.top.location = TARGET + 'navigate'; r.topNavigation = 'no error'; } catch (e) { r.topNavigation = outcome(e); }
  return r;
}
export function Probe() {
  const [result, setResult] = useState(null);
  useEffect(() => { probe().then(setResult); }, []);
  return result ? h('pre', { 'data-testid': 'probe-results' }, JSON.stringify(result)) : h('p', null, 'Probing…');
}
`;
  return writePlugin(root, 'e2e-probe', manifest('e2e-probe', {
    displayName: 'Sandbox probe',
    ui: { entry: 'ui.js', slots: [{ type: 'dashboardWidget', id: 'probe', displayName: 'Probe', exportName: 'Probe' }] },
    capabilities: ['ui.dashboardWidget.register'],
  }), { 'ui.js': ui });
}

/** A folder whose manifest lacks the required `plinth.displayName`. */
export function writeBrokenManifestPlugin(root: string): string {
  return writePlugin(root, 'e2e-broken', { name: 'e2e-broken', version: '1.0.0', engines: { plinth: '^1.0.0' }, plinth: { worker: 'worker.js' } }, {
    'worker.js': 'export default {};\n',
  });
}

/** A plugin whose worker throws `message` in `setup`; started on startup. */
export function writeSetupThrowsPlugin(root: string, message: string): string {
  const worker = `import { definePlugin, runWorker } from '@plinth/sdk';
const plugin = definePlugin({
  async setup() { throw new Error(${JSON.stringify(message)}); },
});
export default plugin;
runWorker(plugin, import.meta.url);
`;
  return writePlugin(root, 'e2e-setup-fails', manifest('e2e-setup-fails', {
    displayName: 'Setup fails',
    worker: 'worker.js',
    activationEvents: ['onStartup'],
    capabilities: [],
  }), { 'worker.js': worker });
}

/** A plugin whose widget component throws while rendering. */
export function writeRenderThrowsPlugin(root: string, message: string): string {
  const ui = `export function Broken() { throw new Error(${JSON.stringify(message)}); }\n`;
  return writePlugin(root, 'e2e-render-throws', manifest('e2e-render-throws', {
    displayName: 'Render throws',
    ui: { entry: 'ui.js', slots: [{ type: 'dashboardWidget', id: 'broken', displayName: 'Broken', exportName: 'Broken' }] },
    capabilities: ['ui.dashboardWidget.register'],
  }), { 'ui.js': ui });
}

/** Options of {@link writeWidgetPlugin}. */
export interface WidgetPluginOptions {
  name: string;
  version?: string;
  displayName?: string;
  description?: string;
  /** What the widget shows in `[data-testid=widget-text]`. */
  text: string;
  /** Capabilities besides `ui.dashboardWidget.register`. */
  capabilities?: string[];
  /** Source of `worker.js` (an ES module using `@plinth/sdk`). */
  worker?: string;
  configSchema?: object;
  activationEvents?: string[];
  /** Source of `ui/index.js`, replacing the text widget. */
  ui?: string;
}

/** The UI module of a widget that shows `text`. */
export function textWidgetModule(text: string): string {
  return `import { createElement as h } from 'react';
export function Widget() { return h('p', { 'data-testid': 'widget-text' }, ${JSON.stringify(text)}); }
`;
}

/** A plugin with one dashboard widget (`ui/index.js`, export `Widget`) and optionally a worker. */
export function writeWidgetPlugin(root: string, folder: string, options: WidgetPluginOptions): string {
  const plinth: Record<string, unknown> = {
    displayName: options.displayName ?? options.name,
    ui: { entry: 'ui/index.js', slots: [{ type: 'dashboardWidget', id: 'main', displayName: options.displayName ?? options.name, exportName: 'Widget' }] },
    capabilities: ['ui.dashboardWidget.register', ...(options.capabilities ?? [])],
  };
  const files: Record<string, string> = { 'ui/index.js': options.ui ?? textWidgetModule(options.text) };
  if (options.worker) {
    plinth.worker = 'worker.js';
    files['worker.js'] = options.worker;
  }
  if (options.configSchema) plinth.configSchema = options.configSchema;
  if (options.activationEvents) plinth.activationEvents = options.activationEvents;
  const base = manifest(options.name, plinth) as Record<string, unknown>;
  return writePlugin(root, folder, { ...base, version: options.version ?? '1.0.0', ...(options.description ? { description: options.description } : {}) }, files);
}

/** Packs a plugin folder into `<name>-<version>.tgz` in `outDir` with the author CLI's packer (`plinth-plugin pack`). */
export async function packTgz(dir: string, outDir: string): Promise<string> {
  const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name: string; version: string };
  return (await packPlugin(dir, pkg, outDir)).file;
}
