/**
 * Loads the precompiled validator of a plugin's config form or of a tool's parameters form (main/shell/config-validator.ts
 * says why: the shell CSP forbids ajv's runtime code generation). The module comes from the app
 * origin; this file hands it the few ajv runtime helpers its code names.
 */
import { createPrecompiledValidator } from '@rjsf/validator-ajv8';
import type { RJSFSchema, ValidatorType } from '@rjsf/utils';
import { fullFormats } from 'ajv-formats/dist/formats';
import equal from 'ajv/dist/runtime/equal';
import ucs2length from 'ajv/dist/runtime/ucs2length';
import uri from 'ajv/dist/runtime/uri';
import ValidationError from 'ajv/dist/runtime/validation_error';
import type { JsonObject } from '../../../sdk/protocol/json.ts';

/**
 * The function a CommonJS helper exports as `default`. The bundle's interop may hand a default
 * import of these modules over as their whole `exports` object (`{ default: fn }`), so the
 * generated code's `require(…).default` would not be a function.
 */
function exported<T>(imported: T | { default: T }): T {
  return typeof imported === 'object' && imported !== null && 'default' in imported ? imported.default : imported;
}

/** The generated code's `require`: exactly main's VALIDATOR_RUNTIME_MODULES. */
const RUNTIME: Record<string, unknown> = {
  'ajv-formats/dist/formats': { fullFormats },
  'ajv/dist/runtime/equal': { default: exported(equal) },
  'ajv/dist/runtime/ucs2length': { default: exported(ucs2length) },
  'ajv/dist/runtime/uri': { default: exported(uri) },
  'ajv/dist/runtime/validation_error': { default: exported(ValidationError) },
};

function runtimeRequire(name: string): unknown {
  if (!Object.hasOwn(RUNTIME, name)) throw new Error(`The settings validator asked for an unknown module "${name}"`);
  return RUNTIME[name];
}

/** A short stable hash of the schema text, so a changed schema gets a new module URL (the module map caches by URL). */
function schemaHash(schema: JsonObject): string {
  const text = JSON.stringify(schema);
  let hash = 0;
  for (let i = 0; i < text.length; i++) hash = (Math.imul(hash, 31) + text.charCodeAt(i)) | 0;
  return (hash >>> 0).toString(36);
}

/**
 * The rjsf validator for `schema` of `pluginId`.
 * @throws Error when the module cannot be loaded (the message says why).
 */
export async function loadConfigValidator(pluginId: string, schema: JsonObject): Promise<ValidatorType> {
  return loadValidator(`/config-validators/${encodeURIComponent(pluginId)}.js`, schema);
}

/**
 * The rjsf validator for the `parametersSchema` of the tool published as `qualifiedName`.
 * @throws Error when the module cannot be loaded (the message says why).
 */
export async function loadToolValidator(qualifiedName: string, schema: JsonObject): Promise<ValidatorType> {
  return loadValidator(`/tool-validators/${encodeURIComponent(qualifiedName)}.js`, schema);
}

async function loadValidator(path: string, schema: JsonObject): Promise<ValidatorType> {
  const url = `${path}?h=${schemaHash(schema)}`;
  const module = (await import(/* @vite-ignore */ url)) as { default: (require: (name: string) => unknown) => Record<string, never> };
  return createPrecompiledValidator(module.default(runtimeRequire), schema as RJSFSchema);
}
