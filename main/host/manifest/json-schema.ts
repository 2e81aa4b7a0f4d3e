/**
 * Checks that a plugin's JSON Schemas (`configSchema`, tool `parametersSchema`) compile as
 * JSON Schema draft 2020-12 (CONTRACT §2), with ajv, and holds the ajv setup every plugin
 * JSON Schema is compiled with.
 */
import { Ajv2020, type Options, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

/** The format that marks a config property as a secret (CONTRACT §2); any string is accepted. */
export const SECRET_FORMAT = 'secret';

// ajv-formats is CommonJS: under NodeNext the default import is `module.exports`, which is the
// plugin function and also carries it as `.default` (the only form TypeScript types).
const addFormats = addFormatsModule.default;

/**
 * An ajv setup for plugin JSON Schemas (draft 2020-12, the standard formats and `"format":
 * "secret"`), for the manifest validator and every service that validates against a plugin's
 * schema (tool parameters, plugin config). Schemas are never registered by `$id`
 * (`addUsedSchema: false`): many plugins may reuse one `$id`, and a plugin's schema compiled
 * again after a reload must not collide with its earlier copy.
 * @param strict ajv's strict mode: unknown keywords are errors (the manifest uses it only to warn)
 */
function createJsonSchemaAjv(strict: boolean): Ajv2020 {
  const options: Options = {
    strict,
    strictTypes: false,
    strictTuples: false,
    allErrors: true,
    addUsedSchema: false,
    logger: false,
    validateSchema: true,
  };
  const ajv = new Ajv2020(options);
  addFormats(ajv);
  ajv.addFormat(SECRET_FORMAT, { type: 'string', validate: () => true });
  return ajv;
}

/**
 * The lenient instance compiles every plugin schema the host uses (manifest check, tool
 * parameters, config); the strict one only looks for likely typos (an unknown keyword) in the
 * manifest check. Each is made on first use, since a start whose manifests come from the
 * validated-manifest cache needs neither, and shared, since {@link compileDetached} keeps nothing
 * in an instance.
 */
const instances: { lenient?: Ajv2020; strict?: Ajv2020 } = {};

/**
 * The shared ajv instance for plugin JSON Schemas (draft 2020-12, standard formats, `"format":
 * "secret"`, nothing registered by `$id`); compile with {@link compileDetached} only.
 * @param strict ajv's strict mode: unknown keywords are errors (the manifest uses it only to warn)
 */
export function jsonSchemaAjv(strict = false): Ajv2020 {
  return strict ? (instances.strict ??= createJsonSchemaAjv(true)) : (instances.lenient ??= createJsonSchemaAjv(false));
}

/**
 * Compiles a plugin's `schema` with `ajv` and keeps nothing in `ajv`: ajv caches every compiled
 * schema object, which would grow with each rescan or reload. The root `$id` is dropped so a
 * plugin cannot replace or remove a schema the instance holds (such as the meta-schema) by
 * reusing its id. The returned function stays usable.
 * @throws Error (ajv's) when `schema` is not valid JSON Schema
 */
export function compileDetached(ajv: Ajv2020, schema: object): ValidateFunction {
  const { $id: _id, ...copy } = schema as Record<string, unknown>;
  try {
    return ajv.compile(copy);
  } finally {
    ajv.removeSchema(copy);
  }
}

/** Outcome of {@link checkJsonSchema}: each text written to follow the field name. */
export interface JsonSchemaCheck {
  /** Why the schema is not valid JSON Schema 2020-12. */
  error?: string;
  /** A likely mistake that does not stop the schema from working (e.g. an unknown keyword). */
  warning?: string;
}

/** ajv's message with its `data/…` paths (the schema checked against the meta-schema) as JSON pointers. */
function reason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/\bdata(?=\/|\s)/g, '#');
}

/**
 * Compiles `schema` as JSON Schema draft 2020-12 (with the standard formats and `"format":
 * "secret"`), and requires `"type": "object"` at the root when `requireObject` is set.
 */
export function checkJsonSchema(schema: object, options: { requireObject: boolean; objectReason: string }): JsonSchemaCheck {
  // Strict mode only adds checks, so a schema it compiles compiles leniently too: the usual,
  // clean schema costs one compile (this runs for every schema at every discovery).
  let warning: string | undefined;
  try {
    compileDetached(jsonSchemaAjv(true), schema);
  } catch (strictError) {
    try {
      compileDetached(jsonSchemaAjv(), schema);
    } catch (error) {
      return { error: `is not a valid JSON Schema (draft 2020-12): ${reason(error)}` };
    }
    warning = `may contain a mistake: ${reason(strictError)}`;
  }
  if (options.requireObject && (schema as { type?: unknown }).type !== 'object') {
    return { error: `must have "type": "object" at its root (${options.objectReason})` };
  }
  return warning === undefined ? {} : { warning };
}
