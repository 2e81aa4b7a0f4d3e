/**
 * Unknown keys in the `plinth` block are warnings, not errors (CONTRACT §2): a manifest written
 * for a newer host still loads, and a typo (`capabilites`) is pointed out. The known keys come
 * from the zod schema itself, so the two lists cannot disagree.
 */
import { z } from 'zod';
import { problem, type Problem } from './problem.ts';
import { plinthBlockSchema } from './schema.ts';

/** Nesting limit of the walk: the manifest schema is four levels deep; this is a safe bound. */
const MAX_DEPTH = 8;

function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  while (current instanceof z.ZodOptional || current instanceof z.ZodNullable || current instanceof z.ZodDefault) {
    current = current.unwrap() as z.ZodType;
  }
  return current;
}

function walk(schema: z.ZodType, value: unknown, field: string, depth: number, out: Problem[]): void {
  if (depth > MAX_DEPTH) return;
  const s = unwrap(schema);
  if (s instanceof z.ZodArray && Array.isArray(value)) {
    value.forEach((item, i) => walk(s.element as z.ZodType, item, `${field}[${i}]`, depth + 1, out));
    return;
  }
  if (!(s instanceof z.ZodObject) || typeof value !== 'object' || value === null || Array.isArray(value)) return;
  const shape = s.shape as Record<string, z.ZodType>;
  for (const [key, child] of Object.entries(value)) {
    const known = shape[key];
    if (known) walk(known, child, `${field}.${key}`, depth + 1, out);
    else out.push(problem(`${field}.${key}`, `is not a known key here (known: ${Object.keys(shape).join(', ')}); it is ignored`));
  }
}

/**
 * Warnings for keys of the `plinth` block (and its nested objects) that Plinth does not know.
 * Top-level `package.json` keys are npm's business and never warned about.
 */
export function findUnknownKeys(raw: Record<string, unknown>): Problem[] {
  const out: Problem[] = [];
  walk(plinthBlockSchema, raw.plinth, 'plinth', 0, out);
  return out;
}
