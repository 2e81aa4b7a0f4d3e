/**
 * Maps the bare specifier `@plinth/sdk` to this SDK's entry, so a plugin folder of plain ES
 * modules without `node_modules` runs (docs/plugin-api.md §1). Used by the worker bootstrap and by the
 * in-process loader of `@plinth/sdk/testing`. `module.registerHooks` is synchronous and
 * in-thread (Node ≥ 22.15, Electron 45).
 */
import { registerHooks } from 'node:module';

/** The bare specifier plugins import the worker SDK by (docs/plugin-api.md §5). */
export const SDK_SPECIFIER = '@plinth/sdk';

let registered: string | undefined;

/** The URL `@plinth/sdk` resolves to in this process, once {@link registerSdkSpecifier} ran. */
export function registeredSdkUrl(): string | undefined {
  return registered;
}

/**
 * Resolves `@plinth/sdk` to `sdkUrl`: by default `sdk/index` with this module's own extension
 * (`.ts` from sources, `.js` from a `tsc` emit), i.e. the very module instance the SDK's own
 * importers load. The worker runtime passes its own URL instead: it is one bundled module that
 * re-exports the SDK, so plugins share the runtime's instance (its `PlinthError` class among them).
 * Once per process; later calls do nothing.
 *
 * @param sdkUrl a `file:` URL of a module exporting the SDK's public API.
 */
export function registerSdkSpecifier(sdkUrl = defaultSdkUrl()): void {
  if (registered) return;
  registered = sdkUrl;
  registerHooks({
    resolve(specifier, context, nextResolve) {
      if (specifier === SDK_SPECIFIER) return { url: sdkUrl, shortCircuit: true };
      return nextResolve(specifier, context);
    },
  });
}

function defaultSdkUrl(): string {
  const ownPath = new URL(import.meta.url).pathname;
  return new URL(`../index${ownPath.slice(ownPath.lastIndexOf('.'))}`, import.meta.url).href;
}
