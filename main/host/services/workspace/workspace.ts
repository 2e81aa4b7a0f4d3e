/**
 * The workspace of CONTRACT §3 — projects, tasks, comments and the activity log — over the
 * host's SQLite database (migration 002). Plain Node; the host facade calls it for the user
 * (`{ user: true }`) and for plugin workers (`{ pluginId }`, after the capability check).
 *
 * Rules every method follows:
 * - Arguments are validated at run time (callers may pass untrusted values); a bad one is a
 *   `PlinthError('INVALID_INPUT')` whose message starts with the method and names the field.
 * - `get` of an unknown id returns `null`; `update`/`delete` of one throw `NOT_FOUND` naming it.
 * - Lists are keyset-paged on `(createdAt, id)`: `limit` 1..500 (default 50), `nextCursor`
 *   absent on the last page; inserting rows while paging neither skips nor repeats items.
 * - Every change publishes its core event after commit: `{ eventId, name, occurredAt,
 *   entityType, entityId, projectId, payload }` where `projectId` is the project itself, the
 *   task's project, or the commented task's project, and `payload` is the entity after the change
 *   (`{ id }` for deletes; `{ id, taskId }` for `comment.deleted`).
 * - A plugin's writes are logged in the activity log; the user's are not.
 */
import type { Db } from '../../db/database.ts';
import type { EventEnvelope } from '@plinth/sdk/protocol/entities';
import { createActivity, type ActivityService } from './activity.ts';
import { createComments, type CommentsService } from './comments.ts';
import { createProjects, type ProjectsService } from './projects.ts';
import { createTasks, type TasksService } from './tasks.ts';
import { createWorkspaceContext } from './workspace-context.ts';

/** Options of {@link createWorkspace}. */
export interface WorkspaceOptions {
  /** Receives every core event, after the change is committed. Must not throw (the event bus's `publish` does not). */
  publish(event: EventEnvelope): void;
  /** The clock for `createdAt`/`updatedAt`/`occurredAt`; default the system clock. */
  now?: () => Date;
}

/** The workspace services. All methods are synchronous (better-sqlite3). */
export interface Workspace {
  projects: ProjectsService;
  tasks: TasksService;
  comments: CommentsService;
  activity: ActivityService;
}

/** Creates the workspace over an open database migrated to at least version 2 (`openDatabase`). */
export function createWorkspace(db: Db, options: WorkspaceOptions): Workspace {
  const ctx = createWorkspaceContext(db, options.publish, options.now ?? (() => new Date()));
  return {
    projects: createProjects(ctx),
    tasks: createTasks(ctx),
    comments: createComments(ctx),
    activity: createActivity(ctx),
  };
}
