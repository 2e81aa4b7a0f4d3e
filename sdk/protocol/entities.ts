import type { Json, JsonObject } from './json.ts';

/** Task status values (docs/plugin-api.md §3). */
export const TASK_STATUSES = ['todo', 'in_progress', 'done', 'cancelled'] as const;
/** A task status. */
export type TaskStatus = (typeof TASK_STATUSES)[number];
/** Task priority values (docs/plugin-api.md §3). */
export const TASK_PRIORITIES = ['low', 'medium', 'high'] as const;
/** A task priority. */
export type TaskPriority = (typeof TASK_PRIORITIES)[number];

/** A project (docs/plugin-api.md §3). Times are ISO 8601 strings in UTC; ids are opaque. */
export interface Project { id: string; name: string; description: string; createdAt: string; updatedAt: string }
/** A task (docs/plugin-api.md §3). */
export interface Task {
  id: string; projectId: string; title: string; description: string;
  status: TaskStatus; priority: TaskPriority; customFields: JsonObject;
  createdAt: string; updatedAt: string;
}
/** A comment on a task (docs/plugin-api.md §3). */
export interface Comment { id: string; taskId: string; body: string; author: string; createdAt: string }

/** Fields a caller may set when creating a project. */
export type ProjectInput = Pick<Project, 'name'> & Partial<Pick<Project, 'description'>>;
/** Fields a caller may set when creating a task. */
export type TaskInput = Pick<Task, 'projectId' | 'title'> & Partial<Pick<Task, 'description' | 'status' | 'priority' | 'customFields'>>;
/** Fields a caller may set when creating a comment. */
export type CommentInput = Pick<Comment, 'taskId' | 'body'> & Partial<Pick<Comment, 'author'>>;

/** Paging of every list call: `limit` 1..500 (default 50), `cursor` from the previous page. */
export interface PageQuery { limit?: number; cursor?: string }
/** Filters of `projects.list`. */
export interface ProjectQuery extends PageQuery { nameContains?: string }
/** Filters of `tasks.list`. */
export interface TaskQuery extends PageQuery { projectId?: string; status?: TaskStatus | TaskStatus[]; priority?: TaskPriority; titleContains?: string }
/** Filters of `comments.list`. */
export interface CommentQuery extends PageQuery { taskId: string }
/** One page of a list; `nextCursor` is absent on the last page. */
export interface Page<T> { items: T[]; nextCursor?: string }

/** Core event names (docs/plugin-api.md §3). */
export const CORE_EVENTS = [
  'project.created', 'project.updated', 'project.deleted',
  'task.created', 'task.updated', 'task.deleted',
  'comment.created', 'comment.deleted',
] as const;
/** A core event name. */
export type CoreEventName = (typeof CORE_EVENTS)[number];

/** The envelope of every event (docs/plugin-api.md §3). Plugin events arrive as `plugin.<pluginId>.<name>`. */
export interface EventEnvelope {
  eventId: string;
  name: string;
  occurredAt: string;
  entityType: string;
  entityId: string;
  projectId?: string;
  payload: Json;
}

/** A filter of `ctx.events.on(name, filter, handler)`. */
export interface EventFilter { projectId?: string }

/** One row of the activity log: a write made by a plugin. */
export interface ActivityEntry {
  id: string; pluginId: string; action: string; entityType: string; entityId: string; occurredAt: string;
}
