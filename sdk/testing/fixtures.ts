/**
 * Workspace fixtures: projects with their tasks and comments, and plugin state, written as one
 * JSON document (`plinth-plugin run --seed fixtures.json`, `harness.seed.fixtures(...)`).
 * Entities are created as the user, so plugins receive the core events as they would in the
 * app; state is written as the host keeps it, with no capability needed.
 *
 * ```json
 * {
 *   "projects": [{ "name": "Launch", "description": "Q3",
 *                  "state": [{ "stateKey": "pinned", "value": true }],
 *                  "tasks": [{ "title": "Write docs", "status": "todo", "priority": "high",
 *                              "comments": [{ "body": "Started", "author": "ana" }] }] }],
 *   "state": [{ "scopeKind": "instance", "stateKey": "counter", "value": 3 }]
 * }
 * ```
 * State under a project or task is scoped to it (`scopeKind` project/task with its new id).
 */
import { z } from 'zod';
import type { StateService } from '@plinth/host/services/state';
import type { Workspace } from '@plinth/host/services/workspace';
import { TASK_PRIORITIES, TASK_STATUSES, type Comment, type Project, type Task } from '../protocol/entities.ts';
import { PlinthError } from '../protocol/errors.ts';
import type { Json } from '../protocol/json.ts';

const json: z.ZodType<Json> = z.lazy(() => z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(json), z.record(z.string(), json)]));
const scopedState = z.strictObject({ namespace: z.string().optional(), stateKey: z.string(), value: json });
const instanceState = z.strictObject({
  scopeKind: z.enum(['instance', 'project', 'task']).default('instance'), scopeId: z.string().optional(),
  namespace: z.string().optional(), stateKey: z.string(), value: json,
});
const comment = z.strictObject({ body: z.string(), author: z.string().optional() });
const task = z.strictObject({
  title: z.string(), description: z.string().optional(), status: z.enum(TASK_STATUSES).optional(),
  priority: z.enum(TASK_PRIORITIES).optional(), customFields: z.record(z.string(), json).optional(),
  comments: z.array(comment).optional(), state: z.array(scopedState).optional(),
});
const project = z.strictObject({
  name: z.string(), description: z.string().optional(), tasks: z.array(task).optional(), state: z.array(scopedState).optional(),
});
const fixturesSchema = z.strictObject({ projects: z.array(project).optional(), state: z.array(instanceState).optional() });

/** A fixtures document (see the module comment for an example). */
export type WorkspaceFixtures = z.input<typeof fixturesSchema>;

/** What seeding created, in document order. */
export interface SeededFixtures { projects: Project[]; tasks: Task[]; comments: Comment[]; stateEntries: number }

/**
 * Checks `value` against the fixtures shape.
 * @throws PlinthError `INVALID_INPUT` naming every wrong field by its path, e.g. `projects[0].tasks[1].status`
 */
export function parseFixtures(value: unknown): z.output<typeof fixturesSchema> {
  const parsed = fixturesSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const where = issue.path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('').replace(/^\./, '');
    return `${where || '(root)'}: ${issue.message}`;
  });
  throw new PlinthError('INVALID_INPUT', `The fixtures are not valid: ${problems.join('; ')}`, { problems });
}

/**
 * Creates the fixtures' projects, tasks and comments as the user and writes their state for
 * `pluginId`. Stops at the first entity the workspace refuses.
 * @throws PlinthError `INVALID_INPUT` for a document of the wrong shape (nothing is written) or an
 *   entity the workspace refuses (what came before it stays)
 */
export function seedFixtures(workspace: Workspace, state: StateService, pluginId: string, value: unknown): SeededFixtures {
  const fixtures = parseFixtures(value);
  const user = { user: true } as const;
  const out: SeededFixtures = { projects: [], tasks: [], comments: [], stateEntries: 0 };
  const writeState = (scopeKind: 'instance' | 'project' | 'task', scopeId: string | undefined, entry: { namespace?: string | undefined; stateKey: string; value: Json }) => {
    state.set(pluginId, {
      scopeKind, stateKey: entry.stateKey,
      ...(scopeId !== undefined ? { scopeId } : {}), ...(entry.namespace !== undefined ? { namespace: entry.namespace } : {}),
    }, entry.value);
    out.stateEntries += 1;
  };
  for (const p of fixtures.projects ?? []) {
    const created = workspace.projects.create(user, { name: p.name, ...(p.description !== undefined ? { description: p.description } : {}) });
    out.projects.push(created);
    for (const entry of p.state ?? []) writeState('project', created.id, entry);
    for (const t of p.tasks ?? []) {
      const { comments = [], state: taskState = [], ...input } = t;
      const createdTask = workspace.tasks.create(user, { ...stripUndefined(input), projectId: created.id } as Parameters<Workspace['tasks']['create']>[1]);
      out.tasks.push(createdTask);
      for (const entry of taskState) writeState('task', createdTask.id, entry);
      for (const c of comments) {
        out.comments.push(workspace.comments.create(user, { taskId: createdTask.id, body: c.body, ...(c.author !== undefined ? { author: c.author } : {}) }));
      }
    }
  }
  for (const entry of fixtures.state ?? []) writeState(entry.scopeKind, entry.scopeId, entry);
  return out;
}

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
