/**
 * Checks a valid manifest's code, without running it: the worker and UI entry modules (and
 * every file they import by relative path) must parse, and every component a slot or launcher
 * names must be exported by the UI entry. esbuild parses and links the modules (bare imports
 * such as `react` and `@plinth/sdk` stay external, as the host provides them), so a syntax
 * error is reported with its file, line and column.
 */
import path from 'node:path';
import * as esbuild from 'esbuild';
import type { Problem } from '@plinth/host/manifest';
import type { PluginManifest } from '../protocol/manifest.ts';

/** Launcher actions whose `target` is a component of the UI entry (the others name an action key or a route). */
const COMPONENT_ACTIONS = new Set(['openModal', 'openDrawer', 'openPopover']);

/** What esbuild made of one entry module: its export names, or the problems met. */
type Linked = { ok: true; exports: string[] } | { ok: false; problems: Problem[] };

async function link(realDir: string, entry: string, field: string, platform: 'node' | 'browser'): Promise<Linked> {
  try {
    const result = await esbuild.build({
      entryPoints: [path.resolve(realDir, entry)], absWorkingDir: realDir, bundle: true, write: false, metafile: true,
      format: 'esm', platform, packages: 'external', logLevel: 'silent', outdir: 'out',
      // JSX in .js files is common in UIs that are not built; parse it rather than call it a syntax error.
      loader: { '.js': 'jsx' }, jsx: 'automatic',
    });
    const output = Object.values(result.metafile.outputs).find((o) => o.entryPoint !== undefined);
    return { ok: true, exports: output?.exports ?? [] };
  } catch (error) {
    const messages = (error as { errors?: esbuild.Message[] }).errors;
    if (!messages) return { ok: false, problems: [{ field, message: `cannot be read: ${(error as Error).message}` }] };
    return {
      ok: false,
      problems: messages.map((m) => ({
        field: m.location ? `${m.location.file}:${m.location.line}:${m.location.column + 1}` : field,
        message: `${m.text}${m.location ? ` (in ${field} ${JSON.stringify(entry)})` : ''}`,
      })),
    };
  }
}

/**
 * Parses the worker and UI modules of the plugin at `realDir` and checks the names the manifest
 * gives their exports.
 * @returns errors (syntax errors as `file:line:column`, missing exports naming the manifest
 *   field) and warnings (a worker with no default export that never calls `runWorker`)
 */
export async function checkPluginModules(realDir: string, manifest: PluginManifest): Promise<{ errors: Problem[]; warnings: Problem[] }> {
  const errors: Problem[] = [];
  const warnings: Problem[] = [];
  const { worker, ui } = manifest.plinth;
  if (worker) {
    const linked = await link(realDir, worker, 'plinth.worker', 'node');
    if (!linked.ok) errors.push(...linked.problems);
    else if (!linked.exports.includes('default')) {
      warnings.push({ field: 'plinth.worker', value: worker, message: 'has no default export: export the definePlugin(...) result as default, or pass it to runWorker(plugin, import.meta.url)' });
    }
  }
  if (ui) {
    const linked = await link(realDir, ui.entry, 'plinth.ui.entry', 'browser');
    if (!linked.ok) {
      errors.push(...linked.problems);
    } else {
      const exported = new Set(linked.exports);
      const list = linked.exports.filter((e) => e !== 'default').join(', ') || 'nothing';
      const missing = (field: string, name: string) => errors.push({ field, value: name, message: `is not exported by ${ui.entry} (it exports ${list})` });
      (ui.slots ?? []).forEach((slot, i) => { if (!exported.has(slot.exportName)) missing(`plinth.ui.slots[${i}].exportName`, slot.exportName); });
      (ui.launchers ?? []).forEach((launcher, i) => {
        if (COMPONENT_ACTIONS.has(launcher.action.type) && !exported.has(launcher.action.target)) missing(`plinth.ui.launchers[${i}].action.target`, launcher.action.target);
      });
    }
  }
  return { errors, warnings };
}
