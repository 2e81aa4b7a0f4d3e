/**
 * Every member of the worker API an author meets in an editor carries TSDoc: every export of the
 * SDK's three entry points, each member of `ctx` (`PluginContext`), each method of the groups in
 * it (`ctx.tasks.get`, `ctx.logger.info`, …) and each hook of `PluginDefinition`. Read from the source with the TypeScript parser, so a
 * new member without a comment fails here; tsc copies the comments into the packed `.d.ts`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { workerTypesInterface } from '../support/sdk-worker-types.ts';

const hasDoc = (node: ts.Node) => ts.getJSDocCommentsAndTags(node).some((doc) => ts.isJSDoc(doc) && (doc.comment ?? '') !== '');

/**
 * The dotted paths of the members of `members` (and of the object types written inline in
 * them) that have no doc comment. A second signature of an overloaded method shares the first
 * one's comment.
 */
function undocumented(prefix: string, members: ts.NodeArray<ts.TypeElement>): string[] {
  const missing: string[] = [];
  const documented = new Set<string>();
  for (const member of members) {
    const name = member.name && (ts.isIdentifier(member.name) || ts.isStringLiteral(member.name)) ? member.name.text : undefined;
    if (!name) continue;
    const where = `${prefix}.${name}`;
    if (hasDoc(member)) documented.add(name);
    else if (!(ts.isMethodSignature(member) && documented.has(name))) missing.push(where);
    if (ts.isPropertySignature(member) && member.type && ts.isTypeLiteralNode(member.type)) missing.push(...undocumented(where, member.type.members));
  }
  return missing;
}

test('every member of ctx, of its groups, of ctx.logger and every plugin hook has TSDoc', () => {
  const context = workerTypesInterface('PluginContext');
  assert.ok(context.members.length >= 20, 'PluginContext was read');
  assert.deepEqual([
    ...undocumented('ctx', context.members),
    ...undocumented('ctx.logger', workerTypesInterface('PluginLogger').members),
    ...undocumented('plugin', workerTypesInterface('PluginDefinition').members),
  ], []);
});

test('every export of @plinth/sdk, @plinth/sdk/ui and @plinth/sdk/testing has TSDoc', () => {
  const entries = ['index.ts', 'ui/index.ts', 'testing/index.ts'].map((entry) => fileURLToPath(new URL(`../../sdk/${entry}`, import.meta.url)));
  const program = ts.createProgram(entries, {
    allowImportingTsExtensions: true, noEmit: true, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022, jsx: ts.JsxEmit.ReactJSX,
  });
  const checker = program.getTypeChecker();
  const missing: string[] = [];
  let checked = 0;
  for (const entry of entries) {
    const module = checker.getSymbolAtLocation(program.getSourceFile(entry)!);
    assert.ok(module, entry);
    for (const symbol of checker.getExportsOfModule(module)) {
      const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      checked += 1;
      if (ts.displayPartsToString(target.getDocumentationComment(checker)).trim() === '') missing.push(`${entry.slice(entry.indexOf('sdk/'))}: ${symbol.name}`);
    }
  }
  assert.ok(checked > 50, `${checked} exports were read`);
  assert.deepEqual(missing, []);
});
