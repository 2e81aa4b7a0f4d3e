/**
 * Validation of everything the workspace accepts (zod). Callers may pass untrusted values
 * (straight from a worker); every failure is a `PlinthError('INVALID_INPUT')` whose message
 * starts with the method and names the field, e.g. `tasks.create: title must not be empty`.
 */
import { z } from 'zod';
import { TASK_PRIORITIES, TASK_STATUSES } from '@plinth/sdk/protocol/entities';
import type { JsonObject } from '@plinth/sdk/protocol/json';
import { PlinthError } from '@plinth/sdk/protocol/errors';
import { MAX_ID_LENGTH, MAX_TEXT_BYTES, MAX_TITLE_LENGTH } from '@plinth/sdk/protocol/limits';

export { MAX_ID_LENGTH, MAX_TEXT_BYTES, MAX_TITLE_LENGTH };

/** Largest `customFields` as JSON (bytes, UTF-8): several plugins share one task's fields. */
export const MAX_CUSTOM_FIELDS_BYTES = 64 * 1024;
/** Deepest nesting inside `customFields`: deep enough for real data, shallow enough to walk safely. */
export const MAX_CUSTOM_FIELDS_DEPTH = 32;
/** Longest comment author (characters): a name or a plugin id. */
export const MAX_AUTHOR_LENGTH = 250;
/** Longest `nameContains`/`titleContains` filter (characters), as long as a title. */
export const MAX_FILTER_LENGTH = MAX_TITLE_LENGTH;
/** Largest page of any list. */
export const MAX_PAGE_LIMIT = 500;
/** Page size when `limit` is omitted. */
export const DEFAULT_PAGE_LIMIT = 50;
/** Longest cursor accepted; real ones are about 100 characters. */
const MAX_CURSOR_LENGTH = 1000;

function typeOf(input: unknown): string {
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'an array';
  if (typeof input !== 'object') return typeof input;
  const prototype: unknown = Object.getPrototypeOf(input);
  const name = (prototype as { constructor?: { name?: unknown } } | null)?.constructor?.name;
  return typeof name === 'string' && name !== 'Object' ? `a ${name}` : 'object';
}
const must = (kind: string) => (issue: { input?: unknown }) =>
  issue.input === undefined ? 'is required' : `must be ${kind}, not ${typeOf(issue.input)}`;
const utf8Bytes = (text: string): number => Buffer.byteLength(text, 'utf8');

/** An id: a non-empty string of at most {@link MAX_ID_LENGTH} characters. */
export const idSchema = z.string({ error: must('a string id') })
  .min(1, { error: 'must not be empty' })
  .max(MAX_ID_LENGTH, { error: `must be at most ${MAX_ID_LENGTH} characters` });

/** A title or name: trimmed, 1..{@link MAX_TITLE_LENGTH} characters. */
const titleSchema = z.string({ error: must('a string') })
  .trim()
  .min(1, { error: 'must not be empty' })
  .max(MAX_TITLE_LENGTH, { error: `must be at most ${MAX_TITLE_LENGTH} characters` });

/** Free text of at most {@link MAX_TEXT_BYTES} bytes. */
const textSchema = z.string({ error: must('a string') })
  .refine((text) => utf8Bytes(text) <= MAX_TEXT_BYTES, { error: `must be at most ${MAX_TEXT_BYTES} bytes (UTF-8)` });

const statusSchema = z.enum(TASK_STATUSES, { error: `must be one of ${TASK_STATUSES.join(', ')}` });
const prioritySchema = z.enum(TASK_PRIORITIES, { error: `must be one of ${TASK_PRIORITIES.join(', ')}` });

/** Where in `value` a non-JSON value or too deep nesting is; iterative, so any depth is safe to check. */
function jsonProblem(value: unknown): { path: PropertyKey[]; message: string } | null {
  const stack: Array<{ value: unknown; path: PropertyKey[] }> = [{ value, path: [] }];
  while (stack.length > 0) {
    const { value: item, path } = stack.pop()!;
    if (path.length > MAX_CUSTOM_FIELDS_DEPTH) return { path, message: `nests deeper than ${MAX_CUSTOM_FIELDS_DEPTH} levels` };
    if (item === null || typeof item === 'string' || typeof item === 'boolean') continue;
    if (typeof item === 'number') {
      if (!Number.isFinite(item)) return { path, message: 'must be a finite number' };
      continue;
    }
    if (Array.isArray(item)) {
      item.forEach((element, index) => stack.push({ value: element, path: [...path, index] }));
      continue;
    }
    if (typeof item === 'object' && (Object.getPrototypeOf(item) === Object.prototype || Object.getPrototypeOf(item) === null)) {
      for (const [key, element] of Object.entries(item)) stack.push({ value: element, path: [...path, key] });
      continue;
    }
    return { path, message: `must be a JSON value, not ${typeOf(item)}` };
  }
  return null;
}

/** `customFields`: a plain object of JSON values, at most {@link MAX_CUSTOM_FIELDS_BYTES} as JSON. */
const customFieldsSchema = z.custom<JsonObject>(
  (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
  { error: (issue) => must('an object')(issue) },
).superRefine((value, ctx) => {
  const problem = jsonProblem(value);
  if (problem) {
    ctx.addIssue({ code: 'custom', path: problem.path, message: problem.message });
    return;
  }
  const bytes = utf8Bytes(JSON.stringify(value));
  if (bytes > MAX_CUSTOM_FIELDS_BYTES) ctx.addIssue({ code: 'custom', message: `is ${bytes} bytes as JSON; at most ${MAX_CUSTOM_FIELDS_BYTES} are allowed` });
});

const pageShape = {
  limit: z.int({ error: must(`an integer from 1 to ${MAX_PAGE_LIMIT}`) })
    .min(1, { error: `must be from 1 to ${MAX_PAGE_LIMIT}` })
    .max(MAX_PAGE_LIMIT, { error: `must be from 1 to ${MAX_PAGE_LIMIT}` })
    .optional(),
  cursor: z.string({ error: must('a string from a previous page') })
    .min(1, { error: 'must not be empty' })
    .max(MAX_CURSOR_LENGTH, { error: 'is not a cursor returned by a previous page' })
    .optional(),
};
const filterText = z.string({ error: must('a string') }).max(MAX_FILTER_LENGTH, { error: `must be at most ${MAX_FILTER_LENGTH} characters` });
const object = <S extends z.core.$ZodLooseShape>(shape: S) => z.strictObject(shape, { error: must('an object') });

/** Input of `projects.create`. */
export const projectInputSchema = object({ name: titleSchema, description: textSchema.optional() });
/** Patch of `projects.update`. */
export const projectPatchSchema = projectInputSchema.partial();
/** Query of `projects.list`. */
export const projectQuerySchema = object({ ...pageShape, nameContains: filterText.optional() }).optional();

/** Input of `tasks.create`. */
export const taskInputSchema = object({
  projectId: idSchema,
  title: titleSchema,
  description: textSchema.optional(),
  status: statusSchema.optional(),
  priority: prioritySchema.optional(),
  customFields: customFieldsSchema.optional(),
});
/** Patch of `tasks.update`: a task never moves to another project. `customFields` replaces the whole object. */
export const taskPatchSchema = taskInputSchema.omit({ projectId: true }).partial();
/** Query of `tasks.list`. */
export const taskQuerySchema = object({
  ...pageShape,
  projectId: idSchema.optional(),
  status: z.union([statusSchema, z.array(statusSchema, { error: must('a status or a list of statuses') })
    .min(1, { error: 'must list at least one status' })], { error: `must be one of ${TASK_STATUSES.join(', ')} or a list of them` }).optional(),
  priority: prioritySchema.optional(),
  titleContains: filterText.optional(),
}).optional();

/** Input of `comments.create`. */
export const commentInputSchema = object({
  taskId: idSchema,
  body: textSchema.refine((body) => body.trim().length > 0, { error: 'must not be empty' }),
  author: z.string({ error: must('a string') })
    .trim()
    .min(1, { error: 'must not be empty' })
    .max(MAX_AUTHOR_LENGTH, { error: `must be at most ${MAX_AUTHOR_LENGTH} characters` })
    .optional(),
});
/** Query of `comments.list`: `taskId` is required. */
export const commentQuerySchema = object({ ...pageShape, taskId: idSchema });

/** Query of `activity.list`. */
export const activityQuerySchema = object({ ...pageShape, pluginId: idSchema.optional() }).optional();

/**
 * Parses `value` with `schema`.
 * @param label how the value is named when it has no field path, e.g. `input`, `id`, `query`.
 * @throws PlinthError `INVALID_INPUT` `"<method>: <field> <problem>"`, listing every problem.
 */
export function parseInput<S extends z.ZodType>(method: string, label: string, schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const field = issue.path.length > 0 ? issue.path.map(String).join('.') : label;
    if (issue.code === 'unrecognized_keys') {
      const where = issue.path.length > 0 ? ` in ${field}` : '';
      return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => `"${key}"`).join(', ')}${where}${allowedKeys(schema, issue.path)}`;
    }
    return `${field} ${issue.message}`;
  });
  throw new PlinthError('INVALID_INPUT', `${method}: ${problems.join('; ')}`);
}

/** ` (allowed: a, b)` for a top-level object schema, so the fix is in the message. */
function allowedKeys(schema: z.ZodType, path: readonly PropertyKey[]): string {
  if (path.length > 0) return '';
  let inner: unknown = schema;
  if (inner instanceof z.ZodOptional) inner = inner.unwrap();
  return inner instanceof z.ZodObject ? ` (allowed: ${Object.keys(inner.shape).join(', ')})` : '';
}
