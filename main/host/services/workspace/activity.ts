/** The activity log: one row per write a plugin made (the user's own writes are not logged). */
import type { ActivityEntry, Page, PageQuery } from '@plinth/sdk/protocol/entities';
import { pageSql, toPage } from './paging.ts';
import type { WorkspaceContext } from './workspace-context.ts';
import { activityQuerySchema, parseInput } from './workspace-input.ts';

/** Query of `activity.list`. */
export type ActivityQuery = PageQuery & { pluginId?: string };

/** `activity.*` of the workspace. */
export interface ActivityService {
  /**
   * Entries newest first (a log is read from the latest), `limit` 1..500 (default 50) per page,
   * optionally of one plugin. Each entry: the plugin id, the action (the core event name, e.g.
   * `task.created`), the entity type and id, and the time. Entries outlive the entities they name.
   * @throws PlinthError `INVALID_INPUT` naming the bad field.
   */
  list(query?: ActivityQuery): Page<ActivityEntry>;
}

interface ActivityRow { id: string; plugin_id: string; action: string; entity_type: string; entity_id: string; occurred_at: string }

/** Creates the activity service over the shared context; entries are written by `WorkspaceContext.write`. */
export function createActivity(ctx: WorkspaceContext): ActivityService {
  function list(query?: ActivityQuery): Page<ActivityEntry> {
    const q = parseInput('activity.list', 'query', activityQuerySchema, query);
    const page = pageSql('activity.list', q, 'occurred_at', 'id', true);
    const where: string[] = [];
    const params: unknown[] = [];
    if (q?.pluginId !== undefined) {
      where.push('plugin_id = ?');
      params.push(q.pluginId);
    }
    if (page.where) where.push(page.where);
    const sql = `SELECT * FROM activity ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY occurred_at DESC, id DESC LIMIT ?`;
    const rows = ctx.statement(sql).all(...params, ...page.params, page.fetch) as ActivityRow[];
    return toPage(rows, page.limit, (row) => [row.occurred_at, row.id], (row) => ({
      id: row.id, pluginId: row.plugin_id, action: row.action, entityType: row.entity_type,
      entityId: row.entity_id, occurredAt: row.occurred_at,
    }));
  }
  return { list };
}
