/** The workspace: projects, tasks, comments, activity (CONTRACT §3). */
export { createWorkspace, type Workspace, type WorkspaceOptions } from './workspace.ts';
export type { WorkspaceActor } from './workspace-context.ts';
export type { ProjectsService } from './projects.ts';
export type { TasksService, TaskPatch } from './tasks.ts';
export { USER_AUTHOR, type CommentsService } from './comments.ts';
export type { ActivityQuery, ActivityService } from './activity.ts';
export {
  DEFAULT_PAGE_LIMIT, MAX_AUTHOR_LENGTH, MAX_CUSTOM_FIELDS_BYTES, MAX_CUSTOM_FIELDS_DEPTH, MAX_FILTER_LENGTH,
  MAX_ID_LENGTH, MAX_PAGE_LIMIT, MAX_TEXT_BYTES, MAX_TITLE_LENGTH,
} from './workspace-input.ts';
