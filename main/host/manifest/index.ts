/**
 * The plugin manifest validator (CONTRACT §2): `validatePluginFolder` checks a plugin folder and
 * returns its manifest or every problem, each naming a field; `formatProblem` renders one line.
 */
export { validatePluginFolder, validateManifestObject, manifestIdentity, type ManifestObjectResult, type ManifestResult, type ManifestIdentity, type ValidateOptions } from './validate.ts';
export { formatProblem, type Problem } from './problem.ts';
export { manifestSchema, plinthBlockSchema } from './schema.ts';
export { checkCronSchedule } from './cron.ts';
export { checkJsonSchema, compileDetached, jsonSchemaAjv, SECRET_FORMAT } from './json-schema.ts';
export { checkPluginName, isReservedName, unscopedName, RESERVED_NAME_PREFIX, RESERVED_SCOPE } from './name.ts';
export { isPathInside, checkRelativeFile } from './paths.ts';
export { MAX_MANIFEST_BYTES } from './read-manifest.ts';
