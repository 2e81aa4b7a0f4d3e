/** Rules for a plugin's `name`, its id (CONTRACT §2). */
import validateNpmPackageName from 'validate-npm-package-name';

/** The unscoped part of a name: lowercase words of letters and digits joined by single hyphens. */
const KEBAB_CASE = /^[a-z0-9]+(-[a-z0-9]+)*$/;
/** Names starting with this are reserved for plugins bundled with the app (CONTRACT §2). */
export const RESERVED_NAME_PREFIX = 'plinth-';
/** The `@plinth/` scope holds the SDK itself; plugins outside the app may not use it either. */
export const RESERVED_SCOPE = '@plinth/';

/** The part of a name after its `@scope/`, if any. */
export function unscopedName(name: string): string {
  const slash = name.indexOf('/');
  return name.startsWith('@') && slash > 0 ? name.slice(slash + 1) : name;
}

/**
 * Reasons `name` is not a valid plugin name, each written to follow the quoted name: a valid
 * npm package name for new packages (validate-npm-package-name) whose unscoped part is kebab-case.
 * Empty when valid.
 */
export function checkPluginName(name: string): string[] {
  const npm = validateNpmPackageName(name);
  const reasons = [...(npm.errors ?? []), ...(npm.warnings ?? [])].map((r) => `is not a valid npm package name: ${r}`);
  if (reasons.length > 0) return reasons;
  if (!KEBAB_CASE.test(unscopedName(name))) {
    return ['is not kebab-case: after the scope use lowercase letters, digits and single hyphens, e.g. "kanban-overview"'];
  }
  return [];
}

/** True when `name` is reserved for bundled plugins: `plinth-*` or `@plinth/*`. */
export function isReservedName(name: string): boolean {
  return name.startsWith(RESERVED_NAME_PREFIX) || name.startsWith(RESERVED_SCOPE);
}
