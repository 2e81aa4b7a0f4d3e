// Writes a plugin folder from the choices: manifest, worker, UI, test, README and, for
// TypeScript, tsconfig.json with a one-command build. Plain JavaScript, no dependencies, so
// `npm create` runs it straight from the registry.
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { templates } from './templates.js';

/** Slot types of the plugin API (docs/plugin-api.md §8) and the capability each needs. */
export const SLOT_CAPABILITY = {
  page: 'ui.page.register', dashboardWidget: 'ui.dashboardWidget.register', sidebar: 'ui.sidebar.register',
  sidebarPanel: 'ui.sidebar.register', projectSidebarItem: 'ui.sidebar.register', detailTab: 'ui.detailTab.register',
  taskDetailView: 'ui.detailTab.register', settingsPage: 'instance.settings.register', globalToolbarButton: 'ui.action.register',
  toolbarButton: 'ui.action.register', contextMenuItem: 'ui.action.register', commentAnnotation: 'ui.commentAnnotation.register',
  commentContextMenuItem: 'ui.action.register',
};
export const SLOT_TYPES = Object.keys(SLOT_CAPABILITY);

/** npm's rules for a new package name, plus Plinth's: kebab-case after the scope, `plinth-` reserved. */
const NAME = /^(@[a-z0-9][a-z0-9._-]*\/)?[a-z0-9]+(-[a-z0-9]+)*$/;

/** The folder's name as a plugin name: lower case, kebab-case. */
export function defaultName(dir) {
  return path.basename(dir).toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'my-plugin';
}

/** Problems with the choices, one sentence each (empty when they are fine). */
export function validateChoices(choices) {
  const problems = [];
  if (!NAME.test(choices.name)) problems.push(`--name "${choices.name}" must be an npm package name whose part after the scope is kebab-case, e.g. @acme/task-counter`);
  const unscoped = choices.name.replace(/^@[^/]+\//, '');
  if (unscoped.startsWith('plinth-') || choices.name.startsWith('@plinth/')) problems.push(`--name "${choices.name}": plinth-* and @plinth/ are reserved for plugins bundled with the app`);
  if (choices.lang !== 'js' && choices.lang !== 'ts') problems.push(`--lang must be js or ts, got "${choices.lang}"`);
  if (choices.ui !== null && !Object.hasOwn(SLOT_CAPABILITY, choices.ui)) problems.push(`--ui "${choices.ui}" is not a slot type; use one of ${SLOT_TYPES.join(', ')}`);
  if (!choices.worker && choices.ui === null) problems.push('a plugin needs a worker, a UI or both: drop --no-worker or give --ui <slot>');
  return problems;
}

/**
 * Writes the plugin into `choices.dir` (created when missing).
 * @returns the relative paths written
 * @throws Error when the folder exists and is not empty (nothing is overwritten)
 */
export async function scaffold(choices) {
  const existing = await readdir(choices.dir).catch(() => []);
  if (existing.length > 0) throw new Error(`${choices.dir} is not empty; choose a new folder (nothing was written)`);
  const displayName = choices.displayName ?? titleCase(choices.name.replace(/^@[^/]+\//, ''));
  const files = templates({ ...choices, displayName, capability: choices.ui ? SLOT_CAPABILITY[choices.ui] : null });
  for (const [rel, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(choices.dir, rel)), { recursive: true });
    await writeFile(path.join(choices.dir, rel), text);
  }
  return Object.keys(files);
}

function titleCase(kebab) {
  return kebab.split('-').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(' ');
}
