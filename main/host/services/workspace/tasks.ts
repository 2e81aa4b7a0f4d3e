/** Tasks of the workspace (CONTRACT §3). */
import { isDeepStrictEqual } from 'node:util';
import type { Page, Task, TaskInput, TaskQuery } from '@plinth/sdk/protocol/entities';
import { pageSql, toPage } from './paging.ts';
import type { CommentRow, TaskRow, WorkspaceActor, WorkspaceContext } from './workspace-context.ts';
import { commentDeleted, definedOnly, notFound, snapshot, taskDeleted, toTask } from './workspace-context.ts';
import { idSchema, parseInput, taskInputSchema, taskPatchSchema, taskQuerySchema } from './workspace-input.ts';

/** A patch of `tasks.update`: every field of {@link TaskInput} except `projectId`. */
export type TaskPatch = Partial<Omit<TaskInput, 'projectId'>>;

/** `tasks.*` of the workspace. Every argument is validated; see `workspace-input.ts` for the limits. */
export interface TasksService {
  /**
   * Tasks, oldest first, `limit` 1..500 (default 50) per page. Filters combine with AND:
   * `projectId`, `status` (one or a list), `priority`, `titleContains` (case-insensitive for
   * ASCII letters). An unknown `projectId` gives an empty page.
   * @throws PlinthError `INVALID_INPUT` naming the bad filter.
   */
  list(query?: TaskQuery): Page<Task>;
  /** One task, or `null` for an unknown id. @throws PlinthError `INVALID_INPUT` for a malformed id. */
  get(id: string): Task | null;
  /**
   * Creates a task in `projectId`. Defaults: `description ""`, `status "todo"`, `priority
   * "medium"`, `customFields {}`; `title` is trimmed. Publishes `task.created`.
   * @throws PlinthError `INVALID_INPUT` naming the field; `NOT_FOUND` for an unknown project.
   */
  create(actor: WorkspaceActor, input: TaskInput): Task;
  /**
   * Changes the given fields; `customFields` replaces the whole object (read, change, write
   * back to keep other keys). A task never moves between projects. A patch that changes nothing
   * returns the task as it is: no `updatedAt` bump, no event, no activity. Otherwise publishes
   * `task.updated` with the new task.
   * @throws PlinthError `INVALID_INPUT` naming the field; `NOT_FOUND` naming the id.
   */
  update(actor: WorkspaceActor, id: string, patch: TaskPatch): Task;
  /**
   * Deletes the task and its comments. Publishes `comment.deleted` for each comment, then
   * `task.deleted` (payload `{ id }`). The activity log records only `task.deleted`.
   * @throws PlinthError `INVALID_INPUT` for a malformed id; `NOT_FOUND` naming the id.
   */
  delete(actor: WorkspaceActor, id: string): void;
}

/** Creates the tasks service over the shared context. */
export function createTasks(ctx: WorkspaceContext): TasksService {
  const byId = (id: string): TaskRow | undefined => ctx.statement('SELECT * FROM tasks WHERE id = ?').get(id) as TaskRow | undefined;

  function list(query?: TaskQuery): Page<Task> {
    const q = parseInput('tasks.list', 'query', taskQuerySchema, query);
    const page = pageSql('tasks.list', q, 'created_at', 'id');
    const where: string[] = [];
    const params: unknown[] = [];
    if (q?.projectId !== undefined) {
      where.push('project_id = ?');
      params.push(q.projectId);
    }
    if (q?.status !== undefined) {
      const statuses = [...new Set(Array.isArray(q.status) ? q.status : [q.status])];
      where.push(`status IN (${statuses.map(() => '?').join(', ')})`);
      params.push(...statuses);
    }
    if (q?.priority !== undefined) {
      where.push('priority = ?');
      params.push(q.priority);
    }
    if (q?.titleContains) {
      where.push('instr(lower(title), lower(?)) > 0');
      params.push(q.titleContains);
    }
    if (page.where) where.push(page.where);
    const sql = `SELECT * FROM tasks ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at, id LIMIT ?`;
    const rows = ctx.statement(sql).all(...params, ...page.params, page.fetch) as TaskRow[];
    return toPage(rows, page.limit, (row) => [row.created_at, row.id], toTask);
  }

  function get(id: string): Task | null {
    const row = byId(parseInput('tasks.get', 'id', idSchema, id));
    return row ? toTask(row) : null;
  }

  function create(actor: WorkspaceActor, input: TaskInput): Task {
    const fields = parseInput('tasks.create', 'input', taskInputSchema, input);
    return ctx.write('tasks.create', actor, ({ at, changes, newId }) => {
      if (!ctx.statement('SELECT 1 FROM projects WHERE id = ?').get(fields.projectId)) {
        throw notFound('tasks.create', fields.projectId, 'project');
      }
      const task: Task = {
        id: newId(), projectId: fields.projectId, title: fields.title, description: fields.description ?? '',
        status: fields.status ?? 'todo', priority: fields.priority ?? 'medium', customFields: fields.customFields ?? {},
        createdAt: at, updatedAt: at,
      };
      insert(task);
      changes.push({ name: 'task.created', entityType: 'task', entityId: task.id, projectId: task.projectId, payload: snapshot(task) });
      return structuredClone(task);
    });
  }

  function insert(task: Task): void {
    ctx.statement(`INSERT INTO tasks (id, project_id, title, description, status, priority, custom_fields, created_at, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(task.id, task.projectId, task.title, task.description, task.status,
      task.priority, JSON.stringify(task.customFields), task.createdAt, task.updatedAt);
  }

  function update(actor: WorkspaceActor, id: string, patch: TaskPatch): Task {
    const taskId = parseInput('tasks.update', 'id', idSchema, id);
    const fields = parseInput('tasks.update', 'patch', taskPatchSchema, patch);
    return ctx.write('tasks.update', actor, ({ at, changes }) => {
      const row = byId(taskId);
      if (!row) throw notFound('tasks.update', taskId);
      const current = toTask(row);
      const next: Task = { ...current, ...definedOnly(fields) };
      if (isDeepStrictEqual(next, current)) return current;
      next.updatedAt = at;
      ctx.statement('UPDATE tasks SET title = ?, description = ?, status = ?, priority = ?, custom_fields = ?, updated_at = ? WHERE id = ?')
        .run(next.title, next.description, next.status, next.priority, JSON.stringify(next.customFields), at, taskId);
      changes.push({ name: 'task.updated', entityType: 'task', entityId: taskId, projectId: next.projectId, payload: snapshot(next) });
      return structuredClone(next);
    });
  }

  function remove(actor: WorkspaceActor, id: string): void {
    const taskId = parseInput('tasks.delete', 'id', idSchema, id);
    ctx.write('tasks.delete', actor, ({ changes }) => {
      const row = byId(taskId);
      if (!row) throw notFound('tasks.delete', taskId);
      const comments = ctx.statement('SELECT id FROM comments WHERE task_id = ? ORDER BY created_at, id').all(taskId) as Array<Pick<CommentRow, 'id'>>;
      ctx.statement('DELETE FROM tasks WHERE id = ?').run(taskId);
      for (const comment of comments) changes.push(commentDeleted(comment.id, taskId, row.project_id, true));
      changes.push(taskDeleted(taskId, row.project_id));
    });
  }

  return { list, get, create, update, delete: remove };
}
