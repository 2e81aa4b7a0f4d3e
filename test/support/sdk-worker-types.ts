/**
 * The SDK's worker API types (sdk/worker/types.ts: `PluginContext`, `PluginLogger`,
 * `PluginDefinition` …) read with the TypeScript parser, for the tests that hold the docs to
 * them (the API reference, the TSDoc): both read the file the same way, parsed once per process.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const FILE = fileURLToPath(new URL('../../sdk/worker/types.ts', import.meta.url));
let source: ts.SourceFile | undefined;

/** The interface `name` declared at the top level of sdk/worker/types.ts; throws when there is none. */
export function workerTypesInterface(name: string): ts.InterfaceDeclaration {
  source ??= ts.createSourceFile(FILE, readFileSync(FILE, 'utf8'), ts.ScriptTarget.Latest, true);
  const found = source.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === name);
  if (!found) throw new Error(`sdk/worker/types.ts declares no interface ${name}`);
  return found;
}
