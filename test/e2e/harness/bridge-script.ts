/**
 * The real preload bridge (preload/bridge.ts) as an init script for Playwright: bundled as
 * an IIFE and installed as `window.plinth` in top-level documents only (Electron runs the
 * preload in the main frame only). Its transport is the `__plinthInvoke` binding, which the
 * harness binds to main's real IPC dispatch.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const BRIDGE_SOURCE = fileURLToPath(new URL('../../../preload/bridge.ts', import.meta.url));

/** Name of the Playwright binding the bridge invokes: `(method, payload) → IpcResult`. */
export const INVOKE_BINDING = '__plinthInvoke';
/** Name of the function the harness calls in a page to push a main → renderer event. */
export const EMIT_FUNCTION = '__plinthEmit';
/**
 * Name of the page global mapping a dropped file's name to the path the bridge's `pathForFile`
 * reports, standing in for Electron's `webUtils.getPathForFile` (browsers expose no file paths).
 * Tests fill it with `setDroppedFilePath`.
 */
export const FILE_PATHS_GLOBAL = '__plinthTestFilePaths';

let cached: Promise<string> | undefined;

/** The init script source (built once per process). */
export function bridgeInitScript(): Promise<string> {
  cached ??= (async () => {
    const result = await esbuild.build({
      entryPoints: [BRIDGE_SOURCE],
      bundle: true,
      format: 'iife',
      globalName: '__plinthBridgeModule',
      platform: 'browser',
      target: 'chrome120',
      write: false,
      absWorkingDir: path.dirname(BRIDGE_SOURCE),
    });
    const code = result.outputFiles[0]?.text ?? '';
    return `(() => {
  if (window !== window.top) return;
  ${code}
  let emit = null;
  const bridge = __plinthBridgeModule.createBridge({
    invoke: (method, payload) => window.${INVOKE_BINDING}(method, payload),
    subscribe: (listener) => { emit = listener; },
    pathForFile: (file) => {
      const paths = window.${FILE_PATHS_GLOBAL};
      return paths && Object.hasOwn(paths, file.name) ? String(paths[file.name]) : '';
    },
  });
  Object.defineProperty(window, 'plinth', { value: bridge, enumerable: true });
  Object.defineProperty(window, '${EMIT_FUNCTION}', { value: (event, payload) => { if (emit) emit(event, payload); } });
})();`;
  })();
  return cached;
}
