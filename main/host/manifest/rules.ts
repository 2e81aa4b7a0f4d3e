/**
 * Manifest rules that span fields or depend on the host (CONTRACT §2): reserved names, the host
 * plugin API version, the capability each slot, launcher, job, webhook and tool needs, unique
 * ids, and JSON Schemas that compile. They read the raw `package.json` defensively, so they
 * report alongside shape errors instead of hiding behind them.
 */
import semver from 'semver';
import {
  SLOT_CAPABILITY, SLOT_TYPES, UNSANDBOXED_CAPABILITY, type SlotType, type StaticCapability,
} from '@plinth/sdk/protocol/capabilities';
import { PLUGIN_API_VERSION } from '@plinth/sdk/protocol/manifest';
import type { PluginSource } from '@plinth/sdk/protocol/lifecycle';
import { checkJsonSchema } from './json-schema.ts';
import { isReservedName } from './name.ts';
import { problem, type Problem } from './problem.ts';

/** Inputs of {@link checkManifestRules}. */
export interface RuleOptions {
  source: PluginSource;
  /** The host plugin API version `engines.plinth` must satisfy; defaults to {@link PLUGIN_API_VERSION}. */
  hostApiVersion?: string;
}

type Rec = Record<string, unknown>;
const isRecord = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const isSlotType = (v: unknown): v is SlotType => typeof v === 'string' && (SLOT_TYPES as readonly string[]).includes(v);

/**
 * Checks the rules of CONTRACT §2 that one field alone cannot decide.
 * @param raw the parsed `package.json`, of any shape
 * @returns errors (the plugin is refused) and warnings (shown, not refused)
 */
export function checkManifestRules(raw: Rec, options: RuleOptions): { problems: Problem[]; warnings: Problem[] } {
  const problems: Problem[] = [];
  const warnings: Problem[] = [];
  const hostApi = options.hostApiVersion ?? PLUGIN_API_VERSION;

  const name = text(raw.name);
  if (name !== undefined && isReservedName(name) && options.source !== 'bundled') {
    problems.push(problem('name', 'is reserved for plugins bundled with Plinth ("plinth-" prefix, "@plinth/" scope); choose another name', name));
  }

  const range = isRecord(raw.engines) ? text(raw.engines.plinth) : undefined;
  if (range !== undefined && range.trim() !== '' && semver.validRange(range) !== null && !semver.satisfies(hostApi, range)) {
    problems.push(problem('engines.plinth', `is not satisfied by this host's plugin API version ${hostApi} (the plugin asks for ${range})`, range));
  }

  if (!isRecord(raw.plinth)) return { problems, warnings };
  const plinth = raw.plinth;
  const declared = new Set(list(plinth.capabilities).filter((c): c is string => typeof c === 'string'));
  // A malformed capabilities field is reported once by the schema; do not echo it per contribution.
  const lacks = (capability: StaticCapability) =>
    (plinth.capabilities === undefined || Array.isArray(plinth.capabilities)) && !declared.has(capability);
  const needs = (capability: StaticCapability) => `needs the capability "${capability}" in plinth.capabilities`;

  list(plinth.capabilities).forEach((c, i) => {
    if (typeof c === 'string' && list(plinth.capabilities).indexOf(c) !== i) {
      warnings.push(problem(`plinth.capabilities[${i}]`, 'is listed twice', c));
    }
  });

  list(plinth.optionalCapabilities).forEach((c, i) => {
    if (typeof c !== 'string') return;
    const field = `plinth.optionalCapabilities[${i}]`;
    if (c === UNSANDBOXED_CAPABILITY) {
      problems.push(problem(field, 'cannot be asked for at run time: a worker\'s sandbox is decided before it starts; list it in plinth.capabilities instead', c));
    } else if (declared.has(c)) {
      warnings.push(problem(field, 'is already in plinth.capabilities, so the plugin holds it from the start; remove one of the two', c));
    } else if (list(plinth.optionalCapabilities).indexOf(c) !== i) {
      warnings.push(problem(field, 'is listed twice', c));
    }
  });

  const ui = isRecord(plinth.ui) ? plinth.ui : {};
  list(ui.slots).forEach((slot, i) => {
    if (isRecord(slot) && isSlotType(slot.type) && lacks(SLOT_CAPABILITY[slot.type])) {
      problems.push(problem(`plinth.ui.slots[${i}].type`, needs(SLOT_CAPABILITY[slot.type]), slot.type));
    }
  });
  list(ui.launchers).forEach((launcher, i) => {
    if (isRecord(launcher) && isSlotType(launcher.placementZone) && lacks(SLOT_CAPABILITY[launcher.placementZone])) {
      problems.push(problem(`plinth.ui.launchers[${i}].placementZone`, needs(SLOT_CAPABILITY[launcher.placementZone]), launcher.placementZone));
    }
  });
  problems.push(...duplicates(ui.slots, 'plinth.ui.slots', 'id'), ...duplicates(ui.launchers, 'plinth.ui.launchers', 'id'));

  // [manifest key, capability each item needs (CONTRACT §2), id key that must be unique, noun]
  const contributions: Array<[string, StaticCapability, string, string]> = [
    ['jobs', 'jobs.schedule', 'jobKey', 'job'],
    ['webhooks', 'webhooks.receive', 'endpointKey', 'webhook'],
    ['tools', 'agent.tools.register', 'name', 'tool'],
  ];
  for (const [key, capability, idKey, noun] of contributions) {
    const items = list(plinth[key]);
    if (items.length > 0 && lacks(capability)) {
      problems.push(problem(`plinth.${key}`, `declares ${items.length} ${noun}${items.length === 1 ? '' : 's'} and ${needs(capability)}`));
    }
    problems.push(...duplicates(items, `plinth.${key}`, idKey));
    if (items.length > 0 && plinth.worker === undefined) {
      warnings.push(problem(`plinth.${key}`, 'need a worker to run, but plinth.worker is not set'));
    }
  }
  if (list(plinth.activationEvents).length > 0 && plinth.worker === undefined) {
    warnings.push(problem('plinth.activationEvents', 'start a worker, but plinth.worker is not set'));
  }

  if (isRecord(plinth.configSchema)) {
    const check = checkJsonSchema(plinth.configSchema, { requireObject: true, objectReason: 'the config is an object of settings' });
    if (check.error) problems.push(problem('plinth.configSchema', check.error));
    if (check.warning) warnings.push(problem('plinth.configSchema', check.warning));
  }
  list(plinth.tools).forEach((tool, i) => {
    if (!isRecord(tool) || !isRecord(tool.parametersSchema)) return;
    const check = checkJsonSchema(tool.parametersSchema, { requireObject: true, objectReason: 'tool arguments are an object' });
    if (check.error) problems.push(problem(`plinth.tools[${i}].parametersSchema`, check.error));
    if (check.warning) warnings.push(problem(`plinth.tools[${i}].parametersSchema`, check.warning));
  });

  if (plinth.worker === undefined && plinth.ui === undefined) {
    warnings.push(problem('plinth', 'declares neither a worker nor a ui entry, so the plugin does nothing'));
  }
  const worker = text(plinth.worker);
  if (worker !== undefined && /\.js$/.test(worker) && raw.type !== 'module') {
    warnings.push(problem('type', `should be "module": the worker ${JSON.stringify(worker)} is an ES module`, raw.type));
  }
  return { problems, warnings };
}

/** Problems for items of `items` whose `idKey` repeats an earlier item's. */
function duplicates(items: unknown, field: string, idKey: string): Problem[] {
  const seen = new Map<string, number>();
  const out: Problem[] = [];
  list(items).forEach((item, i) => {
    const id = isRecord(item) ? text(item[idKey]) : undefined;
    if (id === undefined) return;
    const first = seen.get(id);
    if (first === undefined) seen.set(id, i);
    else out.push(problem(`${field}[${i}].${idKey}`, `is already used by ${field}[${first}]; each ${idKey} must be unique`, id));
  });
  return out;
}
