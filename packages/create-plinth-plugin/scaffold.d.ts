/** What the author chose, from flags or answers. */
export interface ScaffoldChoices {
  /** Absolute folder to write into; created when missing, refused when not empty. */
  dir: string;
  /** The plugin id: an npm package name whose part after the scope is kebab-case. */
  name: string;
  /** The name people see; default: the name in title case. */
  displayName?: string | undefined;
  /** `js`: plain ES modules checked with `// @ts-check`; `ts`: `src/` built by `tsc` into `dist/`. */
  lang: string;
  /** Whether the plugin has a worker (a data handler and an action). */
  worker: boolean;
  /** The slot type of the UI component, or `null` for no UI. */
  ui: string | null;
}
/** Slot type → the capability it needs (docs/plugin-api.md §8). */
export declare const SLOT_CAPABILITY: Record<string, string>;
/** Every slot type a UI component can fill. */
export declare const SLOT_TYPES: string[];
/** The folder's name as a plugin name: lower case, kebab-case. */
export declare function defaultName(dir: string): string;
/** Problems with the choices, one sentence each (empty when they are fine). */
export declare function validateChoices(choices: ScaffoldChoices): string[];
/**
 * Writes the plugin into `choices.dir`.
 * @returns the relative paths written
 * @throws Error when the folder exists and is not empty (nothing is overwritten)
 */
export declare function scaffold(choices: ScaffoldChoices): Promise<string[]>;
