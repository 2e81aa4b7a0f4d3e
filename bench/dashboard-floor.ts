/**
 * Builds the floor of the dashboard benchmark: the real shell (the same vite config and
 * sources as out/renderer) with `renderer/src/slot-host.tsx` replaced by
 * `fixtures/floor-slot-host.tsx`, whose `SlotHost` renders the widget's text as a plain
 * host card instead of a plugin frame. Everything else (bundle, route, bridge calls, layout,
 * widget cards) is the shell's own.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build as viteBuild, type Plugin } from 'vite';
import { VITE_CONFIG } from '../scripts/build.ts';

const SLOT_HOST = fileURLToPath(new URL('../renderer/src/slot-host.tsx', import.meta.url));
const FLOOR_SLOT_HOST = fileURLToPath(new URL('./fixtures/floor-slot-host.tsx', import.meta.url));

/** Resolves every import of the shell's slot-host module, except the floor module's own, to the floor module. */
const floorSlotHost: Plugin = {
  name: 'plinth-bench-floor-slot-host',
  enforce: 'pre',
  async resolveId(source, importer, options) {
    if (importer === FLOOR_SLOT_HOST) return null;
    const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
    return resolved && resolved.id === SLOT_HOST ? FLOOR_SLOT_HOST : resolved;
  },
};

/** Builds the host-card shell into a new temp folder and returns it (the caller removes it). */
export async function buildFloorRenderer(): Promise<string> {
  const outDir = mkdtempSync(path.join(tmpdir(), 'plinth-bench-floor-renderer-'));
  await viteBuild({ configFile: VITE_CONFIG, logLevel: 'error', plugins: [floorSlotHost], build: { outDir, emptyOutDir: false } });
  return outDir;
}
