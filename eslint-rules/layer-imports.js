// ESLint rule `plinth/layer-imports`: a file may import, by relative path, only from the folders
// its layer allows (docs/architecture.md, "Folder = layer"). Relative specifiers are resolved
// against the importing file, so `../../main/host/x.ts` from sdk/cli is caught at any depth.
// Bare specifiers (packages) are left to `no-restricted-imports`.
//
// Options: { allow: Array<{ dir: string, typeOnly?: boolean }>, message: string, typeOnlyMessage?: string }
// `dir` is relative to the project root (the folder of eslint.config.js) and ends with '/'
// (or names one file); `typeOnly` entries accept `import type` / `export type` only.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function isTypeOnly(node) {
  if (node.importKind === 'type' || node.exportKind === 'type') return true;
  const specifiers = node.specifiers ?? [];
  return specifiers.length > 0 && specifiers.every((s) => s.importKind === 'type' || s.exportKind === 'type');
}

function inside(target, entry) {
  const dir = path.join(ROOT, entry.dir);
  return entry.dir.endsWith('/') ? target.startsWith(dir) : target === dir;
}

/** @type {import('eslint').Rule.RuleModule} */
export const layerImports = {
  meta: {
    type: 'problem',
    docs: { description: 'Relative imports stay inside the folders a layer may use.' },
    schema: [{
      type: 'object',
      properties: {
        allow: { type: 'array', items: { type: 'object', properties: { dir: { type: 'string' }, typeOnly: { type: 'boolean' } }, required: ['dir'], additionalProperties: false } },
        message: { type: 'string' },
        typeOnlyMessage: { type: 'string' },
      },
      required: ['allow', 'message'],
      additionalProperties: false,
    }],
  },
  create(context) {
    const { allow, message, typeOnlyMessage } = context.options[0];
    const from = path.dirname(context.filename);
    function check(node, source) {
      if (!source || typeof source.value !== 'string' || !source.value.startsWith('.')) return;
      const target = path.resolve(from, source.value);
      const entries = allow.filter((entry) => inside(target, entry));
      if (entries.length === 0) {
        context.report({ node: source, message: `${message} (imports ${path.relative(ROOT, target)})` });
      } else if (entries.every((entry) => entry.typeOnly) && !isTypeOnly(node)) {
        context.report({ node: source, message: typeOnlyMessage ?? `${message} (type-only imports from here)` });
      }
    }
    return {
      ImportDeclaration: (node) => check(node, node.source),
      ExportNamedDeclaration: (node) => check(node, node.source),
      ExportAllDeclaration: (node) => check(node, node.source),
      ImportExpression: (node) => check({}, node.source.type === 'Literal' ? node.source : null),
    };
  },
};

export default { rules: { 'layer-imports': layerImports } };
