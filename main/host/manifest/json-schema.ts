/**
 * Checks that a plugin's JSON Schemas (`configSchema`, tool `parametersSchema`) compile as
 * JSON Schema draft 2020-12 (CONTRACT §2), with ajv.
 */
import { Ajv2020, type Options } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

/** The format that marks a config property as a secret (CONTRACT §2); any string is accepted. */
export const SECRET_FORMAT = 'secret';

// ajv-formats is CommonJS: under NodeNext the default import is `module.exports`, which is the
// plugin function and also carries it as `.default` (the only form TypeScript types).
const addFormats = addFormatsModule.default;

function createAjv(strict: boolean): Ajv2020 {
  const options: Options = {
    strict, // strictSchema refuses unknown keywords; used only to produce warnings
    strictTypes: false,
    strictTuples: false,
    allErrors: true,
    addUsedSchema: false, // many plugins may reuse one `$id`; never register schemas globally
    logger: false,
    validateSchema: true,
  };
  const ajv = new Ajv2020(options);
  addFormats(ajv);
  ajv.addFormat(SECRET_FORMAT, { type: 'string', validate: () => true });
  return ajv;
}

/** Compiles leniently: an error here means the schema is not valid JSON Schema. */
const lenient = createAjv(false);
/** Compiles in ajv's strict mode: an error here only is a likely typo (an unknown keyword). */
const strict = createAjv(true);

/** Outcome of {@link checkJsonSchema}: each text written to follow the field name. */
export interface JsonSchemaCheck {
  /** Why the schema is not valid JSON Schema 2020-12. */
  error?: string;
  /** A likely mistake that does not stop the schema from working (e.g. an unknown keyword). */
  warning?: string;
}

/**
 * Compiles and forgets: ajv caches every compiled schema object, which would grow with each
 * rescan. The root `$id` is dropped so a plugin cannot replace or remove a schema the instance
 * holds (such as the meta-schema) by reusing its id.
 */
function compileOnce(ajv: Ajv2020, schema: object): void {
  const { $id: _id, ...copy } = schema as Record<string, unknown>;
  try {
    ajv.compile(copy);
  } finally {
    ajv.removeSchema(copy);
  }
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
  try {
    compileOnce(lenient, schema);
  } catch (error) {
    return { error: `is not a valid JSON Schema (draft 2020-12): ${reason(error)}` };
  }
  if (options.requireObject && (schema as { type?: unknown }).type !== 'object') {
    return { error: `must have "type": "object" at its root (${options.objectReason})` };
  }
  try {
    compileOnce(strict, schema);
    return {};
  } catch (error) {
    return { warning: `may contain a mistake: ${reason(error)}` };
  }
}
