import type { Capability, EntityType, SlotType } from './capabilities.ts';
import type { JsonObject } from './json.ts';

/** The host plugin API version; a manifest's `engines.plinth` range must satisfy it (docs/plugin-api.md §2). */
export const PLUGIN_API_VERSION = '1.1.0';

/** Launcher action types (docs/plugin-api.md §8). */
export const LAUNCHER_ACTIONS = ['navigate', 'openModal', 'openDrawer', 'openPopover', 'performAction', 'deepLink'] as const;
/** Render environments (docs/plugin-api.md §8). */
export const RENDER_ENVIRONMENTS = ['hostInline', 'hostOverlay', 'hostRoute', 'external', 'iframe'] as const;
/** Render bounds (docs/plugin-api.md §8). */
export const RENDER_BOUNDS = ['inline', 'compact', 'default', 'wide', 'full'] as const;
/** One of {@link RENDER_BOUNDS}. */
export type RenderBounds = (typeof RENDER_BOUNDS)[number];
/** One of {@link RENDER_ENVIRONMENTS}. */
export type RenderEnvironment = (typeof RENDER_ENVIRONMENTS)[number];

/** A UI slot contribution (docs/plugin-api.md §2, §8). */
export interface SlotDeclaration {
  type: SlotType; id: string; displayName: string; exportName: string; entityTypes?: EntityType[]; order?: number;
}
/** A launcher (docs/plugin-api.md §8). */
export interface LauncherDeclaration {
  id: string; displayName: string; placementZone: SlotType; entityTypes?: EntityType[];
  action: { type: (typeof LAUNCHER_ACTIONS)[number]; target: string };
  render?: { environment?: (typeof RENDER_ENVIRONMENTS)[number]; bounds?: (typeof RENDER_BOUNDS)[number] };
}
/** A scheduled job (docs/plugin-api.md §2); `schedule` is a 5-field cron expression. */
export interface JobDeclaration { jobKey: string; displayName: string; schedule: string }
/** A webhook endpoint (docs/plugin-api.md §2). */
export interface WebhookDeclaration { endpointKey: string; displayName: string }
/** An agent tool (docs/plugin-api.md §2); `parametersSchema` is a JSON Schema. */
export interface ToolDeclaration { name: string; displayName: string; description: string; parametersSchema: JsonObject }

/** The `plinth` block of the manifest (docs/plugin-api.md §2). */
export interface PlinthManifestBlock {
  displayName: string;
  icon?: string;
  categories?: string[];
  worker?: string;
  ui?: { entry: string; slots?: SlotDeclaration[]; launchers?: LauncherDeclaration[] };
  capabilities?: Capability[];
  /**
   * API 1.1: capabilities the plugin may ask for at run time with `ctx.permissions.request`
   * (docs/plugin-api.md §4); `http.outbound:*` here means one host at a time, each approved by the user.
   */
  optionalCapabilities?: Capability[];
  activationEvents?: string[];
  configSchema?: JsonObject;
  jobs?: JobDeclaration[];
  webhooks?: WebhookDeclaration[];
  tools?: ToolDeclaration[];
}

/** A plugin manifest: its `package.json` (docs/plugin-api.md §2). `name` is the plugin id. */
export interface PluginManifest {
  name: string;
  version: string;
  description?: string;
  type?: string;
  engines: { plinth: string; [engine: string]: string };
  plinth: PlinthManifestBlock;
}
