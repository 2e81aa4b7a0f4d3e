/**
 * Capabilities of docs/plugin-api.md §4 and the slot → capability table of docs/plugin-api.md §8.
 * A plugin declares them in `plinth.capabilities`; the host checks one on every call it receives.
 */

/** Every capability whose string is fixed. `http.outbound:<host>` is the one parametrised form. */
export const STATIC_CAPABILITIES = [
  'projects.read', 'projects.write', 'tasks.read', 'tasks.write', 'comments.read', 'comments.write', 'activity.read',
  'plugin.state.read', 'plugin.state.write', 'secrets.read-ref',
  'events.subscribe', 'events.emit', 'jobs.schedule', 'webhooks.receive',
  'agent.tools.register',
  'system.unsandboxed',
  'ui.page.register', 'ui.sidebar.register', 'ui.dashboardWidget.register', 'ui.detailTab.register',
  'ui.commentAnnotation.register', 'ui.action.register', 'instance.settings.register',
] as const;

/** A capability with a fixed string. */
export type StaticCapability = (typeof STATIC_CAPABILITIES)[number];

/** Any capability: a fixed one or `http.outbound:<host>` (host may start with `*.`). */
export type Capability = StaticCapability | `http.outbound:${string}`;

/** Prefix of the outbound HTTP capability. */
export const HTTP_OUTBOUND_PREFIX = 'http.outbound:';

/**
 * A host name pattern allowed after `http.outbound:`: a DNS name, optionally starting with `*.`.
 * Labels follow RFC 1123 (letters, digits, hyphens, not starting or ending with a hyphen).
 */
const HOST_PATTERN = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

/** True when `value` is a capability string the host knows. */
export function isCapability(value: string): value is Capability {
  if ((STATIC_CAPABILITIES as readonly string[]).includes(value)) return true;
  if (value.startsWith(HTTP_OUTBOUND_PREFIX)) return HOST_PATTERN.test(value.slice(HTTP_OUTBOUND_PREFIX.length));
  return false;
}

/**
 * `http.outbound:*`, allowed only in `plinth.optionalCapabilities` (docs/plugin-api.md §4, API 1.1): the
 * plugin may ask at run time for `http.outbound:<one host>`, each host approved by the user.
 */
export const ANY_OUTBOUND_HOST = 'http.outbound:*';

/**
 * True when `value` may be listed in `plinth.optionalCapabilities`: a capability string the host
 * knows, or {@link ANY_OUTBOUND_HOST}. (`system.unsandboxed` is a known capability but is refused
 * there by the manifest rules: a worker's sandbox is decided before it starts.)
 */
export function isOptionalCapabilityEntry(value: string): boolean {
  return value === ANY_OUTBOUND_HOST || isCapability(value);
}

/** The consent words of `system.unsandboxed` (docs/plugin-api.md §4, API 1.1), shown prominently. */
export const UNSANDBOXED_WORDS = 'Full access to this computer: your files, programs and the network';

/** The capability that takes a worker out of the sandbox (docs/plugin-api.md §4, API 1.1). */
export const UNSANDBOXED_CAPABILITY = 'system.unsandboxed';

const PLAIN_WORDS: Record<StaticCapability, string> = {
  'projects.read': 'Read your projects',
  'projects.write': 'Create, change and delete projects',
  'tasks.read': 'Read your tasks',
  'tasks.write': 'Create, change and delete tasks',
  'comments.read': 'Read comments',
  'comments.write': 'Write and delete comments',
  'activity.read': 'Read the activity log',
  'plugin.state.read': 'Read its own saved data',
  'plugin.state.write': 'Save its own data',
  'secrets.read-ref': 'Use the secrets you give it in its settings',
  'events.subscribe': 'Be notified of changes in your workspace',
  'events.emit': 'Send events to other plugins',
  'jobs.schedule': 'Run scheduled background jobs',
  'webhooks.receive': 'Receive webhooks on a local address',
  'agent.tools.register': 'Offer tools to AI agents',
  'system.unsandboxed': UNSANDBOXED_WORDS,
  'ui.page.register': 'Add pages to the app',
  'ui.sidebar.register': 'Add items to the sidebar',
  'ui.dashboardWidget.register': 'Add widgets to the dashboard',
  'ui.detailTab.register': 'Add tabs to task details',
  'ui.commentAnnotation.register': 'Annotate comments',
  'ui.action.register': 'Add buttons and menu items',
  'instance.settings.register': 'Add a settings page',
};

/** A capability in plain words for the consent and settings screens, e.g. "Connect to api.github.com". */
export function describeCapability(capability: Capability): string {
  if (capability === ANY_OUTBOUND_HOST) return 'Ask you for each website it wants to connect to';
  if (capability.startsWith(HTTP_OUTBOUND_PREFIX)) {
    const host = capability.slice(HTTP_OUTBOUND_PREFIX.length);
    return host.startsWith('*.') ? `Connect to any address under ${host.slice(2)}` : `Connect to ${host}`;
  }
  return PLAIN_WORDS[capability as StaticCapability] ?? capability;
}

/** A capability with its plain words, as the consent and settings screens list it. */
export interface CapabilityWords { capability: string; description: string }

/**
 * Plain words for a list of capability strings (docs/plugin-api.md §4). A string that is no capability is
 * shown as it is; a value that is not an array, and entries that are not strings, give nothing
 * (the list may come from an unchecked package document).
 */
export function capabilityWords(list: unknown): CapabilityWords[] {
  return (Array.isArray(list) ? list.filter((c): c is string => typeof c === 'string') : [])
    .map((capability) => ({ capability, description: isOptionalCapabilityEntry(capability) ? describeCapability(capability as Capability) : capability }));
}

/** Slot types of docs/plugin-api.md §8. */
export const SLOT_TYPES = [
  'page', 'dashboardWidget', 'sidebar', 'sidebarPanel', 'projectSidebarItem', 'detailTab', 'taskDetailView',
  'settingsPage', 'globalToolbarButton', 'toolbarButton', 'contextMenuItem', 'commentAnnotation', 'commentContextMenuItem',
] as const;

/** A slot type of docs/plugin-api.md §8. */
export type SlotType = (typeof SLOT_TYPES)[number];

/** The capability each slot type needs (docs/plugin-api.md §8 table). */
export const SLOT_CAPABILITY: Record<SlotType, StaticCapability> = {
  page: 'ui.page.register',
  dashboardWidget: 'ui.dashboardWidget.register',
  sidebar: 'ui.sidebar.register',
  sidebarPanel: 'ui.sidebar.register',
  projectSidebarItem: 'ui.sidebar.register',
  detailTab: 'ui.detailTab.register',
  taskDetailView: 'ui.detailTab.register',
  commentAnnotation: 'ui.commentAnnotation.register',
  globalToolbarButton: 'ui.action.register',
  toolbarButton: 'ui.action.register',
  contextMenuItem: 'ui.action.register',
  commentContextMenuItem: 'ui.action.register',
  settingsPage: 'instance.settings.register',
};

/** Entity types a slot or launcher may target (docs/plugin-api.md §8). */
export const ENTITY_TYPES = ['project', 'task', 'comment'] as const;
/** An entity type of docs/plugin-api.md §8. */
export type EntityType = (typeof ENTITY_TYPES)[number];
