/** Projects of the workspace (CONTRACT §3). */
import type { Page, Project, ProjectInput, ProjectQuery } from '@plinth/sdk/protocol/entities';
import { pageSql, toPage } from './paging.ts';
import type { CommentRow, ProjectRow, WorkspaceActor, WorkspaceContext } from './workspace-context.ts';
import { commentDeleted, definedOnly, notFound, snapshot, taskDeleted, toProject } from './workspace-context.ts';
import { idSchema, parseInput, projectInputSchema, projectPatchSchema, projectQuerySchema } from './workspace-input.ts';

/** `projects.*` of the workspace. Every argument is validated; see `workspace-input.ts` for the limits. */
export interface ProjectsService {
  /**
   * Projects, oldest first, `limit` 1..500 (default 50) per page. `nameContains` matches
   * case-insensitively (ASCII letters).
   * @throws PlinthError `INVALID_INPUT` naming the bad filter.
   */
  list(query?: ProjectQuery): Page<Project>;
  /** One project, or `null` for an unknown id. @throws PlinthError `INVALID_INPUT` for a malformed id. */
  get(id: string): Project | null;
  /**
   * Creates a project (`description` defaults to `""`, `name` is trimmed). Publishes `project.created`.
   * @throws PlinthError `INVALID_INPUT` naming the field.
   */
  create(actor: WorkspaceActor, input: ProjectInput): Project;
  /**
   * Changes the given fields. A patch that changes nothing returns the project as it is: no
   * `updatedAt` bump, no event, no activity (so a plugin reacting to its own update cannot loop).
   * Otherwise publishes `project.updated` with the new project.
   * @throws PlinthError `INVALID_INPUT` naming the field; `NOT_FOUND` naming the id.
   */
  update(actor: WorkspaceActor, id: string, patch: Partial<ProjectInput>): Project;
  /**
   * Deletes the project with its tasks and their comments. Publishes, in this order,
   * `comment.deleted` for each comment, `task.deleted` for each task, then `project.deleted`,
   * so a plugin that mirrors tasks or comments sees every one go (the project's event comes last,
   * which also keeps it when a subscriber's queue drops the oldest: a project with more rows than
   * the bus's per-subscriber queue limit, default 1000, delivers only the newest of the burst, so a
   * mirroring plugin should also forget everything of the project on `project.deleted`). The
   * activity log records only `project.deleted`.
   * @throws PlinthError `INVALID_INPUT` for a malformed id; `NOT_FOUND` naming the id.
   */
  delete(actor: WorkspaceActor, id: string): void;
}

/** Creates the projects service over the shared context. */
export function createProjects(ctx: WorkspaceContext): ProjectsService {
  const byId = (id: string): ProjectRow | undefined => ctx.statement('SELECT * FROM projects WHERE id = ?').get(id) as ProjectRow | undefined;

  function list(query?: ProjectQuery): Page<Project> {
    const q = parseInput('projects.list', 'query', projectQuerySchema, query);
    const page = pageSql('projects.list', q, 'created_at', 'id');
    const where: string[] = [];
    const params: unknown[] = [];
    if (q?.nameContains) {
      where.push('instr(lower(name), lower(?)) > 0');
      params.push(q.nameContains);
    }
    if (page.where) where.push(page.where);
    const sql = `SELECT * FROM projects ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at, id LIMIT ?`;
    const rows = ctx.statement(sql).all(...params, ...page.params, page.fetch) as ProjectRow[];
    return toPage(rows, page.limit, (row) => [row.created_at, row.id], toProject);
  }

  function get(id: string): Project | null {
    const row = byId(parseInput('projects.get', 'id', idSchema, id));
    return row ? toProject(row) : null;
  }

  function create(actor: WorkspaceActor, input: ProjectInput): Project {
    const fields = parseInput('projects.create', 'input', projectInputSchema, input);
    return ctx.write('projects.create', actor, ({ at, changes, newId }) => {
      const project: Project = { id: newId(), name: fields.name, description: fields.description ?? '', createdAt: at, updatedAt: at };
      ctx.statement('INSERT INTO projects (id, name, description, created_at, updated_at) VALUES (?, ?, ?, ?, ?)')
        .run(project.id, project.name, project.description, at, at);
      changes.push({ name: 'project.created', entityType: 'project', entityId: project.id, projectId: project.id, payload: snapshot(project) });
      return project;
    });
  }

  function update(actor: WorkspaceActor, id: string, patch: Partial<ProjectInput>): Project {
    const projectId = parseInput('projects.update', 'id', idSchema, id);
    const fields = parseInput('projects.update', 'patch', projectPatchSchema, patch);
    return ctx.write('projects.update', actor, ({ at, changes }) => {
      const row = byId(projectId);
      if (!row) throw notFound('projects.update', projectId);
      const current = toProject(row);
      const next: Project = { ...current, ...definedOnly(fields) };
      if (next.name === current.name && next.description === current.description) return current;
      next.updatedAt = at;
      ctx.statement('UPDATE projects SET name = ?, description = ?, updated_at = ? WHERE id = ?')
        .run(next.name, next.description, at, projectId);
      changes.push({ name: 'project.updated', entityType: 'project', entityId: projectId, projectId, payload: snapshot(next) });
      return next;
    });
  }

  function remove(actor: WorkspaceActor, id: string): void {
    const projectId = parseInput('projects.delete', 'id', idSchema, id);
    ctx.write('projects.delete', actor, ({ changes }) => {
      if (!byId(projectId)) throw notFound('projects.delete', projectId);
      const comments = ctx.statement(
        'SELECT c.id, c.task_id FROM comments c JOIN tasks t ON t.id = c.task_id WHERE t.project_id = ? ORDER BY c.created_at, c.id',
      ).all(projectId) as Array<Pick<CommentRow, 'id' | 'task_id'>>;
      const tasks = ctx.statement('SELECT id FROM tasks WHERE project_id = ? ORDER BY created_at, id').all(projectId) as Array<{ id: string }>;
      ctx.statement('DELETE FROM projects WHERE id = ?').run(projectId);
      for (const comment of comments) changes.push(commentDeleted(comment.id, comment.task_id, projectId, true));
      for (const task of tasks) changes.push(taskDeleted(task.id, projectId, true));
      changes.push({ name: 'project.deleted', entityType: 'project', entityId: projectId, projectId, payload: { id: projectId } });
    });
  }

  return { list, get, create, update, delete: remove };
}
