/**
 * The shape of a plugin manifest (CONTRACT §2) as a zod 4 schema: types, required fields,
 * enums and the rules that need one field only (name, semver, cron, capability strings).
 * Rules across fields (capability needed by a slot, unique ids, host API version, JSON Schemas)
 * live in `rules.ts`; file paths in `paths.ts`.
 *
 * Every object is loose: unknown keys pass here and are reported as warnings by
 * `unknown-keys.ts`, which walks this same schema, so a key added here is known there too.
 */
import semver from 'semver';
import { z } from 'zod';
import {
  ANY_OUTBOUND_HOST, ENTITY_TYPES, isCapability, isOptionalCapabilityEntry, SLOT_TYPES, type Capability,
} from '@plinth/sdk/protocol/capabilities';
import type { JsonObject } from '@plinth/sdk/protocol/json';
import { LAUNCHER_ACTIONS, RENDER_BOUNDS, RENDER_ENVIRONMENTS, type PluginManifest } from '@plinth/sdk/protocol/manifest';
import { assertEventPattern, ON_EVENT_ACTIVATION_PREFIX } from '@plinth/sdk/protocol/event-names';
import { checkCronSchedule } from './cron.ts';
import { checkPluginName } from './name.ts';

/**
 * Activation events of CONTRACT §6: `onStartup`, or `onEvent:` and a subscription pattern as the
 * event bus accepts it (the bus's own check, so every accepted pattern can match).
 */
function isActivationEvent(value: string): boolean {
  if (value === 'onStartup') return true;
  if (!value.startsWith(ON_EVENT_ACTIVATION_PREFIX)) return false;
  try {
    assertEventPattern(value.slice(ON_EVENT_ACTIVATION_PREFIX.length));
    return true;
  } catch {
    return false;
  }
}

/**
 * Keys that appear in a URL path or an MCP tool name (webhook `endpointKey`, tool `name`):
 * letters, digits, `-`, `_` (MCP allows 1–64). The webhook server applies the same rule.
 */
export const URL_SAFE_KEY = /^[A-Za-z0-9_-]{1,64}$/;
/** A named export of an ES module. */
const EXPORT_NAME = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

const nonEmpty = () => z.string().refine((s) => s.trim().length > 0, { message: 'must not be empty' });
const urlSafeKey = () =>
  z.string().regex(URL_SAFE_KEY, { message: 'may use only letters, digits, "-" and "_" (1 to 64 characters)' });

const isJsonObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
/** A JSON Schema object; whether it compiles is checked in `rules.ts` with ajv. */
const jsonSchemaObject = () => z.custom<JsonObject>(isJsonObject, { message: 'must be a JSON Schema object' });

const UNKNOWN_CAPABILITY = 'is not a known capability (see docs/plugin-api.md §4; outbound HTTP is "http.outbound:<host>")';
const capability = z.custom<Capability>((v) => typeof v === 'string' && isCapability(v), {
  error: (issue) => (issue.input === ANY_OUTBOUND_HOST
    ? `can only be listed in plinth.optionalCapabilities (asked for one host at a time at run time); in plinth.capabilities name the host, e.g. "http.outbound:api.github.com"`
    : UNKNOWN_CAPABILITY),
});
/** An entry of `plinth.optionalCapabilities` (API 1.1): a capability, or `http.outbound:*`. */
const optionalCapability = z.custom<Capability>((v) => typeof v === 'string' && isOptionalCapabilityEntry(v), {
  message: `${UNKNOWN_CAPABILITY}, or "${ANY_OUTBOUND_HOST}" for hosts asked for at run time`,
});

const entityTypes = z.array(z.enum(ENTITY_TYPES)).optional();

const slotSchema = z.looseObject({
  type: z.enum(SLOT_TYPES),
  id: nonEmpty(),
  displayName: nonEmpty(),
  exportName: z.string().regex(EXPORT_NAME, { message: 'must be the name of an export of the UI module, e.g. "Overview"' }),
  entityTypes,
  order: z.number().optional(),
});

const launcherSchema = z.looseObject({
  id: nonEmpty(),
  displayName: nonEmpty(),
  placementZone: z.enum(SLOT_TYPES),
  entityTypes,
  action: z.looseObject({ type: z.enum(LAUNCHER_ACTIONS), target: nonEmpty() }),
  render: z.looseObject({ environment: z.enum(RENDER_ENVIRONMENTS).optional(), bounds: z.enum(RENDER_BOUNDS).optional() }).optional(),
});

const jobSchema = z.looseObject({
  jobKey: nonEmpty(),
  displayName: nonEmpty(),
  schedule: z.string().superRefine((value, ctx) => {
    const reason = checkCronSchedule(value);
    if (reason) ctx.addIssue({ code: 'custom', message: reason, input: value });
  }),
});

const webhookSchema = z.looseObject({ endpointKey: urlSafeKey(), displayName: nonEmpty() });

const toolSchema = z.looseObject({
  name: urlSafeKey(),
  displayName: nonEmpty(),
  description: nonEmpty(),
  parametersSchema: jsonSchemaObject(),
});

/** The `plinth` block (CONTRACT §2). */
export const plinthBlockSchema = z.looseObject({
  displayName: nonEmpty(),
  icon: nonEmpty().optional(),
  categories: z.array(z.string()).optional(),
  worker: nonEmpty().optional(),
  ui: z.looseObject({
    entry: nonEmpty(),
    slots: z.array(slotSchema).optional(),
    launchers: z.array(launcherSchema).optional(),
  }).optional(),
  capabilities: z.array(capability).optional(),
  optionalCapabilities: z.array(optionalCapability).optional(),
  activationEvents: z.array(
    z.string().refine(isActivationEvent, { message: 'must be "onStartup" or "onEvent:<event name>", e.g. "onEvent:task.created"' }),
  ).optional(),
  configSchema: jsonSchemaObject().optional(),
  jobs: z.array(jobSchema).optional(),
  webhooks: z.array(webhookSchema).optional(),
  tools: z.array(toolSchema).optional(),
});

/** The whole manifest, `package.json` (CONTRACT §2). Other npm fields pass untouched. */
export const manifestSchema = z.looseObject({
  name: z.string().superRefine((value, ctx) => {
    for (const reason of checkPluginName(value)) ctx.addIssue({ code: 'custom', message: reason, input: value });
  }),
  version: z.string().refine((v) => semver.valid(v) !== null && /^\d/.test(v), {
    message: 'is not a semver version, e.g. "1.0.0"',
  }),
  description: z.string().optional(),
  type: z.string().optional(),
  engines: z.object({
    plinth: z.string().refine((r) => r.trim() !== '' && semver.validRange(r) !== null, {
      message: 'is not a semver range, e.g. "^1.0.0"',
    }),
  }).catchall(z.string()), // npm: every engine's value is a version range string
  plinth: plinthBlockSchema,
});

// Compile-time guard: what the schema accepts is a PluginManifest, so the two cannot drift apart.
type SchemaOutput = z.output<typeof manifestSchema>;
const _manifestMatches = (output: SchemaOutput): PluginManifest => output;
void _manifestMatches;
