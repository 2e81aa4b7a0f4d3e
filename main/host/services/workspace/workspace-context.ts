/**
 * What the projects, tasks and comments modules share: cached statements, the clock, and one
 * way to write — a transaction that also logs plugin activity, then publishes core events once
 * the data is committed (a subscriber that reads back sees the change).
 */
import { randomUUID } from 'node:crypto';
import type { Statement } from 'better-sqlite3';
import type { Db } from '../../db/database.ts';
import { createIdGenerator } from './ids.ts';
import type { Comment, CoreEventName, EventEnvelope, Project, Task } from '@plinth/sdk/protocol/entities';
import { PlinthError } from '@plinth/sdk/protocol/errors';
import type { Json, JsonObject } from '@plinth/sdk/protocol/json';

/** Who makes a write: a plugin (its writes are logged in the activity log) or the user. */
export type WorkspaceActor = { pluginId: string } | { user: true };

/** Entity types of the workspace (CONTRACT §3). */
export type WorkspaceEntityType = 'project' | 'task' | 'comment';

/** One change a write made; becomes a core event, and an activity row when `cascade` is not set. */
export interface Change {
  name: CoreEventName;
  entityType: WorkspaceEntityType;
  entityId: string;
  projectId: string;
  payload: Json;
  /** Set for rows removed by a cascade: evented, but the activity log keeps only the delete asked for. */
  cascade?: boolean;
}

/** Shared plumbing of the workspace modules. */
export interface WorkspaceContext {
  /** A prepared statement, cached by its SQL text. */
  statement(sql: string): Statement;
  /**
   * Runs `work` in one transaction, logs plugin activity for its direct changes, commits, then
   * publishes one event per change in order.
   * @throws PlinthError `INVALID_INPUT` `"<method>: actor …"` for a malformed actor.
   */
  write<T>(method: string, actor: WorkspaceActor, work: (scope: WriteScope) => T): T;
}

/** What one write works with. */
export interface WriteScope {
  /** The write time, ISO 8601 UTC with ms: `createdAt`/`updatedAt` of what it touches. */
  at: string;
  /** Changes made so far; push one per created, updated or deleted entity. */
  changes: Change[];
  /** A new row id (see `ids.ts`). */
  newId(): string;
}

/** Creates the context. `publish` must not throw; it is called after each commit. */
export function createWorkspaceContext(db: Db, publish: (event: EventEnvelope) => void, now: () => Date): WorkspaceContext {
  const statements = new Map<string, Statement>();
  function statement(sql: string): Statement {
    let prepared = statements.get(sql);
    if (!prepared) statements.set(sql, (prepared = db.prepare(sql)));
    return prepared;
  }

  const newId = createIdGenerator();

  function write<T>(method: string, actor: WorkspaceActor, work: (scope: WriteScope) => T): T {
    const pluginId = actorPluginId(method, actor);
    const time = now();
    const at = time.toISOString();
    const changes: Change[] = [];
    const result = db.transaction(() => {
      const value = work({ at, changes, newId: () => newId(time) });
      if (pluginId !== null) {
        for (const change of changes) {
          if (change.cascade) continue;
          statement('INSERT INTO activity (id, plugin_id, action, entity_type, entity_id, occurred_at) VALUES (?, ?, ?, ?, ?, ?)')
            .run(newId(time), pluginId, change.name, change.entityType, change.entityId, at);
        }
      }
      return value;
    })();
    for (const change of changes) {
      publish({
        eventId: randomUUID(), name: change.name, occurredAt: at, entityType: change.entityType,
        entityId: change.entityId, projectId: change.projectId, payload: change.payload,
      });
    }
    return result;
  }

  return { statement, write };
}

/** The plugin id of a plugin actor, `null` for the user. */
function actorPluginId(method: string, actor: unknown): string | null {
  if (typeof actor === 'object' && actor !== null) {
    if ((actor as { user?: unknown }).user === true) return null;
    const pluginId = (actor as { pluginId?: unknown }).pluginId;
    if (typeof pluginId === 'string' && pluginId.length > 0) return pluginId;
  }
  throw new PlinthError('INVALID_INPUT', `${method}: actor must be { pluginId: "<non-empty id>" } or { user: true }`);
}

/** A `projects` row. */
export interface ProjectRow { id: string; name: string; description: string; created_at: string; updated_at: string }
/** A `tasks` row; `custom_fields` is JSON text. */
export interface TaskRow {
  id: string; project_id: string; title: string; description: string; status: Task['status'];
  priority: Task['priority']; custom_fields: string; created_at: string; updated_at: string;
}
/** A `comments` row. */
export interface CommentRow { id: string; task_id: string; body: string; author: string; created_at: string }

/** Row → {@link Project}. */
export const toProject = (row: ProjectRow): Project => ({
  id: row.id, name: row.name, description: row.description, createdAt: row.created_at, updatedAt: row.updated_at,
});
/** Row → {@link Task}. */
export const toTask = (row: TaskRow): Task => ({
  id: row.id, projectId: row.project_id, title: row.title, description: row.description, status: row.status,
  priority: row.priority, customFields: JSON.parse(row.custom_fields) as JsonObject,
  createdAt: row.created_at, updatedAt: row.updated_at,
});
/** Row → {@link Comment}. */
export const toComment = (row: CommentRow): Comment => ({
  id: row.id, taskId: row.task_id, body: row.body, author: row.author, createdAt: row.created_at,
});

/** A detached copy for an event payload, so a subscriber never shares objects with the caller. */
export const snapshot = <T extends Project | Task | Comment>(entity: T): Json => structuredClone(entity) as unknown as Json;

/** `NOT_FOUND` naming the id and the method. */
export function notFound(method: string, id: string, what = method.split('.')[0]!.replace(/s$/, '')): PlinthError {
  return new PlinthError('NOT_FOUND', `${method}: no ${what} with id "${id}"`);
}

/** The `task.deleted` change; payload `{ id }`. */
export function taskDeleted(taskId: string, projectId: string, cascade = false): Change {
  return { name: 'task.deleted', entityType: 'task', entityId: taskId, projectId, payload: { id: taskId }, ...(cascade ? { cascade } : {}) };
}

/** The `comment.deleted` change; payload `{ id, taskId }` so a plugin knows which task lost it. */
export function commentDeleted(commentId: string, taskId: string, projectId: string, cascade = false): Change {
  return {
    name: 'comment.deleted', entityType: 'comment', entityId: commentId, projectId,
    payload: { id: commentId, taskId }, ...(cascade ? { cascade } : {}),
  };
}

/** The patch without keys whose value is `undefined` (zod keeps absent optionals absent, callers may not). */
export function definedOnly<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined)) as Partial<T>;
}
