/**
 * Maps the bare specifier `@plinth/sdk` to this SDK's entry, so a plugin folder of plain ES
 * modules without `node_modules` runs (CONTRACT §1). Used by the worker bootstrap and by the
 * in-process loader of `@plinth/sdk/testing`. `module.registerHooks` is synchronous and
 * in-thread (Node ≥ 22.15, Electron 45).
 */
import { registerHooks } from 'node:module';

/** The bare specifier plugins import the worker SDK by (CONTRACT §5). */
const SDK_SPECIFIER = '@plinth/sdk';

let registered = false;

/**
 * Resolves `@plinth/sdk` to `sdk/index` with this module's own extension (`.ts` from sources,
 * `.js` from a `tsc` emit), i.e. the very module instance the SDK's own importers load.
 * Once per process; later calls do nothing.
 */
export function registerSdkSpecifier(): void {
  if (registered) return;
  registered = true;
  const ownPath = new URL(import.meta.url).pathname;
  const sdkUrl = new URL(`../index${ownPath.slice(ownPath.lastIndexOf('.'))}`, import.meta.url).href;
  registerHooks({
    resolve(specifier, context, nextResolve) {
      if (specifier === SDK_SPECIFIER) return { url: sdkUrl, shortCircuit: true };
      return nextResolve(specifier, context);
    },
  });
}
