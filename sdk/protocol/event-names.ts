/**
 * Event names, subscription patterns and who may read what (docs/plugin-api.md §3, §5, §6).
 * Pure functions of the contract, shared by the manifest validator (`onEvent:` activation
 * events), the host's event bus and its lazy worker start.
 */
import type { Capability } from './capabilities.ts';
import { PlinthError } from './errors.ts';

/** Longest plugin event name (characters): room for a dotted, descriptive name; short enough to log. */
export const MAX_PLUGIN_EVENT_NAME_LENGTH = 100;
/**
 * Longest subscription pattern (characters): `plugin.` + an npm name (≤ 214, npm's own limit)
 * + `.` + a plugin event name (≤ 100) + `.*`, rounded up.
 */
export const MAX_EVENT_PATTERN_LENGTH = 330;
/** Prefix of every activation event that starts a worker on an event (docs/plugin-api.md §6). */
export const ON_EVENT_ACTIVATION_PREFIX = 'onEvent:';
/** `entityType` of plugin events; they name the emitting plugin in `entityId`. */
export const PLUGIN_EVENT_ENTITY_TYPE = 'plugin';

/** What a plugin may pass to `ctx.events.emit` as a name. */
const PLUGIN_EVENT_NAME = /^[a-z0-9][a-z0-9._-]*$/;
/**
 * Characters of a full event name: core names, and `plugin.<id>.<name>` where the id is an npm
 * package name (lowercase, URL-safe, optionally `@scope/`).
 */
const EVENT_NAME = /^[a-z0-9@][a-z0-9@/~._-]*$/;
/** Suffix that turns a pattern into a prefix match. */
const WILDCARD_SUFFIX = '.*';

/**
 * Checks a name a plugin passes to `ctx.events.emit`: non-empty, `[a-z0-9][a-z0-9._-]*`, at most
 * {@link MAX_PLUGIN_EVENT_NAME_LENGTH} characters.
 * @throws PlinthError `INVALID_INPUT` naming the rule that failed.
 */
export function assertPluginEventName(name: unknown): asserts name is string {
  if (typeof name !== 'string' || name.length === 0) {
    throw new PlinthError('INVALID_INPUT', 'Event name must be a non-empty string.');
  }
  if (name.length > MAX_PLUGIN_EVENT_NAME_LENGTH) {
    throw new PlinthError('INVALID_INPUT', `Event name is ${name.length} characters; at most ${MAX_PLUGIN_EVENT_NAME_LENGTH} are allowed.`);
  }
  if (!PLUGIN_EVENT_NAME.test(name)) {
    throw new PlinthError('INVALID_INPUT', `Event name "${name}" may use only a-z, 0-9, ".", "_" and "-", and must start with a letter or digit.`);
  }
}

/**
 * Checks a subscription pattern: an exact event name (`task.created`,
 * `plugin.@acme/sync.done`) or a prefix ending in `.*` (`task.*`, `plugin.acme-x.*`).
 * A lone `*` is not a pattern: subscribe to the groups you need.
 * @throws PlinthError `INVALID_INPUT` naming the pattern and the rule.
 */
export function assertEventPattern(pattern: unknown): asserts pattern is string {
  if (typeof pattern !== 'string' || pattern.length === 0) {
    throw new PlinthError('INVALID_INPUT', 'Event pattern must be a non-empty string such as "task.created" or "task.*".');
  }
  if (pattern.length > MAX_EVENT_PATTERN_LENGTH) {
    throw new PlinthError('INVALID_INPUT', `Event pattern is ${pattern.length} characters; at most ${MAX_EVENT_PATTERN_LENGTH} are allowed.`);
  }
  const stem = pattern.endsWith(WILDCARD_SUFFIX) ? pattern.slice(0, -WILDCARD_SUFFIX.length) : pattern;
  if (!EVENT_NAME.test(stem)) {
    throw new PlinthError('INVALID_INPUT', `Event pattern "${pattern}" must be an event name, optionally ending in ".*" (e.g. "task.*"); "*" is allowed only there.`);
  }
}

/**
 * True when `eventName` matches `pattern`: equal, or `pattern` ends in `.*` and `eventName` starts
 * with what precedes the `*` (`task.*` matches `task.created`, not `task` nor `tasks.x`).
 * An invalid pattern matches nothing.
 */
export function eventPatternMatches(pattern: string, eventName: string): boolean {
  if (pattern.endsWith(WILDCARD_SUFFIX)) {
    const prefix = pattern.slice(0, -1);
    return eventName.length > prefix.length && eventName.startsWith(prefix);
  }
  return pattern === eventName;
}

/**
 * True when one of a manifest's `activationEvents` is `onEvent:<pattern>` matching `eventName`
 * (docs/plugin-api.md §6). Other activation events (`onStartup`, …) and malformed patterns never match.
 */
export function activationEventMatches(activationEvents: readonly string[], eventName: string): boolean {
  for (const activation of activationEvents) {
    if (typeof activation !== 'string' || !activation.startsWith(ON_EVENT_ACTIVATION_PREFIX)) continue;
    const pattern = activation.slice(ON_EVENT_ACTIVATION_PREFIX.length);
    try {
      assertEventPattern(pattern);
    } catch {
      continue;
    }
    if (eventPatternMatches(pattern, eventName)) return true;
  }
  return false;
}

const READ_CAPABILITY: Record<string, Capability | null> = {
  project: 'projects.read',
  task: 'tasks.read',
  comment: 'comments.read',
  [PLUGIN_EVENT_ENTITY_TYPE]: null,
};

/**
 * The capability a plugin needs to receive an event about `entityType` (docs/plugin-api.md §3: "a plugin
 * receives a core event only if it holds the read capability of that entity"): `project` →
 * `projects.read`, `task` → `tasks.read`, `comment` → `comments.read`, plugin events → `null`
 * (only `events.subscribe`, checked when subscribing).
 * @throws PlinthError `INTERNAL` for an entity type the host does not know, so a new kind of event
 *   is withheld (fails closed) until someone decides who may read it.
 */
export function readCapabilityFor(entityType: string): Capability | null {
  const capability = Object.hasOwn(READ_CAPABILITY, entityType) ? READ_CAPABILITY[entityType] : undefined;
  if (capability === undefined) {
    throw new PlinthError('INTERNAL', `No read capability is defined for events about "${entityType}".`);
  }
  return capability;
}
