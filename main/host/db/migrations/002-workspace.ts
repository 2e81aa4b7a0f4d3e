import type { Migration } from '../migration.ts';

/**
 * The workspace of CONTRACT §3: projects, tasks, comments, and the activity log of plugin writes.
 * Times are ISO 8601 UTC strings with milliseconds (they sort as text); ids are opaque strings.
 * Deleting a project removes its tasks, deleting a task removes its comments (ON DELETE CASCADE).
 * The activity log keeps no foreign keys: it outlives what it describes.
 * Every list is ordered by `(created_at, id)` for keyset paging, so each list index ends with those.
 */
export const workspaceMigration: Migration = {
  version: 2,
  name: 'workspace: projects, tasks, comments, activity',
  up(db) {
    db.exec(`
      CREATE TABLE projects (
        id          TEXT PRIMARY KEY,
        name        TEXT NOT NULL CHECK (length(name) > 0),
        description TEXT NOT NULL DEFAULT '',
        created_at  TEXT NOT NULL,
        updated_at  TEXT NOT NULL
      ) STRICT;
      CREATE INDEX projects_by_created ON projects (created_at, id);

      CREATE TABLE tasks (
        id            TEXT PRIMARY KEY,
        project_id    TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
        title         TEXT NOT NULL CHECK (length(title) > 0),
        description   TEXT NOT NULL DEFAULT '',
        status        TEXT NOT NULL DEFAULT 'todo'
                      CHECK (status IN ('todo', 'in_progress', 'done', 'cancelled')),
        priority      TEXT NOT NULL DEFAULT 'medium' CHECK (priority IN ('low', 'medium', 'high')),
        custom_fields TEXT NOT NULL DEFAULT '{}'
                      CHECK (json_valid(custom_fields) AND json_type(custom_fields) = 'object'),
        created_at    TEXT NOT NULL,
        updated_at    TEXT NOT NULL
      ) STRICT;
      CREATE INDEX tasks_by_created ON tasks (created_at, id);
      CREATE INDEX tasks_by_project ON tasks (project_id, created_at, id);
      CREATE INDEX tasks_by_project_status ON tasks (project_id, status, created_at, id);
      CREATE INDEX tasks_by_updated ON tasks (updated_at);

      CREATE TABLE comments (
        id         TEXT PRIMARY KEY,
        task_id    TEXT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
        body       TEXT NOT NULL CHECK (length(body) > 0),
        author     TEXT NOT NULL,
        created_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX comments_by_task ON comments (task_id, created_at, id);

      CREATE TABLE activity (
        id          TEXT PRIMARY KEY,
        plugin_id   TEXT NOT NULL,
        action      TEXT NOT NULL,
        entity_type TEXT NOT NULL CHECK (entity_type IN ('project', 'task', 'comment')),
        entity_id   TEXT NOT NULL,
        occurred_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX activity_by_time ON activity (occurred_at, id);
      CREATE INDEX activity_by_plugin ON activity (plugin_id, occurred_at, id);
    `);
  },
};
