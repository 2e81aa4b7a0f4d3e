/**
 * The language-level sandbox of a worker process (docs/plugin-api.md §5, API 1.1), entered by the worker
 * runtime before the plugin's first module loads, in a process that already has everything
 * the runtime needs:
 *
 * 1. SES `lockdown()` hardens the JavaScript intrinsics: prototypes and built-ins are frozen
 *    (no prototype poisoning, no tampering with what the runtime relies on) and
 *    `Function.prototype.constructor` is inert, so `x.constructor.constructor("…")` builds nothing.
 * 2. The SDK's exports, shared by runtime and plugin, are hardened (deep-frozen).
 * 3. `globalThis` keeps only the ECMAScript built-ins and an allowlist of Web APIs
 *    (globals.ts); `eval` and `Function` evaluate against that global, so they reach nothing more.
 * 4. The module loader resolves only `@plinth/sdk` and files inside the plugin folder
 *    (module-guard.ts).
 *
 * Plugin code runs in the start realm (plain Node ES modules, no source transform), which is
 * why the runtime must hold its own references: its modules import `process`, `Buffer` and
 * timers from Node builtins instead of reading globals that are gone afterwards.
 */
import 'ses';
import * as sdk from '../../index.ts';
import type { ConsoleSink } from './globals.ts';
import { restrictGlobals } from './globals.ts';
import { installModuleGuard } from './module-guard.ts';

export { explainSandboxError } from './refusals.ts';
export type { ConsoleSink } from './globals.ts';

/** SES's globals, from `import 'ses'`. */
declare const lockdown: (options: Record<string, string>) => void;
declare const harden: <T>(value: T) => T;

/** What {@link enterSandbox} needs. */
export interface SandboxOptions {
  /** The plugin folder (absolute); only files whose real path is inside it can be imported. */
  root: string;
  /** Module URLs outside `root` that stay importable: the SDK entry `@plinth/sdk` maps to. */
  allowedUrls: readonly string[];
  /** Receives every `console` line of plugin code. */
  console: ConsoleSink;
}

let hardened = false;
let entered = false;

/**
 * The plugin-independent half of the sandbox: SES `lockdown()`, the SDK exports hardened and
 * `globalThis` reduced to the allowlist. A spare worker (started before it knows its plugin)
 * runs it while it waits; {@link enterSandbox} then only confines module loading. Irreversible
 * for the process; a second call does nothing.
 *
 * @param consoleSink receives every `console` line of plugin code.
 * @throws Error when the platform has a global the sandbox cannot remove.
 */
export function hardenRealm(consoleSink: ConsoleSink): void {
  if (hardened) return;
  hardened = true;
  lockdown({
    // Keep real stacks and errors for the plugin's log; the plugin is the only code in this realm to hide them from.
    errorTaming: 'unsafe',
    // Locale methods keep using Intl (users expect their own date and number formats).
    localeTaming: 'unsafe',
    // The runtime replaces console itself (globals.ts).
    consoleTaming: 'unsafe',
    // The runtime reports errors and rejections to the host itself; SES must not exit the process.
    errorTrapping: 'none',
    unhandledRejectionTrapping: 'none',
    // Node's own `domain` module is never loaded by the runtime; SES need not check for it.
    domainTaming: 'unsafe',
    // Assigning over an inherited frozen property (`obj.toString = ...`) works as plugins expect.
    overrideTaming: 'moderate',
    stackFiltering: 'verbose',
  });
  for (const value of Object.values(sdk)) harden(value);
  restrictGlobals(consoleSink);
}

/**
 * Enters the sandbox; irreversible for the process. Call it once, after the runtime has
 * loaded every module it uses and before the plugin's entry is imported. When the realm was
 * already hardened ({@link hardenRealm}, a spare worker), only the module guard is installed
 * and `options.console` is not used (the sink given to `hardenRealm` stays).
 *
 * @throws Error when called twice, or when the platform has a global the sandbox cannot remove.
 */
export function enterSandbox(options: SandboxOptions): void {
  if (entered) throw new Error('The sandbox was already entered in this process');
  entered = true;
  hardenRealm(options.console);
  installModuleGuard(options.root, options.allowedUrls);
}
