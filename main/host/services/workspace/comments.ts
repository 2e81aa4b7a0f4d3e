/** Comments on tasks (CONTRACT §3). */
import type { Comment, CommentInput, CommentQuery, Page } from '@plinth/sdk/protocol/entities';
import { pageSql, toPage } from './paging.ts';
import type { CommentRow, WorkspaceActor, WorkspaceContext } from './workspace-context.ts';
import { commentDeleted, notFound, snapshot, toComment } from './workspace-context.ts';
import { commentInputSchema, commentQuerySchema, idSchema, parseInput } from './workspace-input.ts';

/** Author of comments the user writes when no `author` is given. */
export const USER_AUTHOR = 'user';

/** `comments.*` of the workspace. Every argument is validated; see `workspace-input.ts` for the limits. */
export interface CommentsService {
  /**
   * Comments of one task, oldest first (thread order), `limit` 1..500 (default 50) per page.
   * An unknown `taskId` gives an empty page.
   * @throws PlinthError `INVALID_INPUT` naming the bad field (`taskId` is required).
   */
  list(query: CommentQuery): Page<Comment>;
  /**
   * Adds a comment to `taskId`. `author` defaults to the plugin id for a plugin, to
   * {@link USER_AUTHOR} for the user; a plugin may name another author (e.g. the person a synced
   * comment came from) — the activity log still records the plugin. Publishes `comment.created`
   * with the task's `projectId`.
   * @throws PlinthError `INVALID_INPUT` naming the field; `NOT_FOUND` for an unknown task.
   */
  create(actor: WorkspaceActor, input: CommentInput): Comment;
  /**
   * Deletes a comment. Publishes `comment.deleted` with payload `{ id, taskId }`.
   * @throws PlinthError `INVALID_INPUT` for a malformed id; `NOT_FOUND` naming the id.
   */
  delete(actor: WorkspaceActor, id: string): void;
}

/** Creates the comments service over the shared context. */
export function createComments(ctx: WorkspaceContext): CommentsService {
  const projectOfTask = (taskId: string): string | undefined =>
    (ctx.statement('SELECT project_id FROM tasks WHERE id = ?').get(taskId) as { project_id: string } | undefined)?.project_id;

  function list(query: CommentQuery): Page<Comment> {
    const q = parseInput('comments.list', 'query', commentQuerySchema, query);
    const page = pageSql('comments.list', q, 'created_at', 'id');
    const where = ['task_id = ?', ...(page.where ? [page.where] : [])];
    const rows = ctx.statement(`SELECT * FROM comments WHERE ${where.join(' AND ')} ORDER BY created_at, id LIMIT ?`)
      .all(q.taskId, ...page.params, page.fetch) as CommentRow[];
    return toPage(rows, page.limit, (row) => [row.created_at, row.id], toComment);
  }

  function create(actor: WorkspaceActor, input: CommentInput): Comment {
    const fields = parseInput('comments.create', 'input', commentInputSchema, input);
    return ctx.write('comments.create', actor, ({ at, changes, newId }) => {
      const projectId = projectOfTask(fields.taskId);
      if (projectId === undefined) throw notFound('comments.create', fields.taskId, 'task');
      const author = fields.author ?? ('pluginId' in actor ? actor.pluginId : USER_AUTHOR);
      const comment: Comment = { id: newId(), taskId: fields.taskId, body: fields.body, author, createdAt: at };
      ctx.statement('INSERT INTO comments (id, task_id, body, author, created_at) VALUES (?, ?, ?, ?, ?)')
        .run(comment.id, comment.taskId, comment.body, comment.author, at);
      changes.push({ name: 'comment.created', entityType: 'comment', entityId: comment.id, projectId, payload: snapshot(comment) });
      return comment;
    });
  }

  function remove(actor: WorkspaceActor, id: string): void {
    const commentId = parseInput('comments.delete', 'id', idSchema, id);
    ctx.write('comments.delete', actor, ({ changes }) => {
      const row = ctx.statement('SELECT c.task_id, t.project_id FROM comments c JOIN tasks t ON t.id = c.task_id WHERE c.id = ?')
        .get(commentId) as { task_id: string; project_id: string } | undefined;
      if (!row) throw notFound('comments.delete', commentId);
      ctx.statement('DELETE FROM comments WHERE id = ?').run(commentId);
      changes.push(commentDeleted(commentId, row.task_id, row.project_id));
    });
  }

  return { list, create, delete: remove };
}
