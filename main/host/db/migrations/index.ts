import type { Migration } from '../migration.ts';
import { registryMigration } from './001-registry.ts';
import { workspaceMigration } from './002-workspace.ts';
import { jobsMigration } from './003-jobs.ts';
import { installMigration } from './004-install.ts';
import { registryOriginsMigration } from './005-registry-origins.ts';
import { failureKindMigration } from './006-failure-kind.ts';
import { pluginPermissionsMigration } from './007-plugin-permissions.ts';
import { jobRetryMigration } from './008-job-retry.ts';

/** Every migration, in version order. Append new ones; never edit a released one. */
export const MIGRATIONS: readonly Migration[] = [
  registryMigration, workspaceMigration, jobsMigration, installMigration, registryOriginsMigration, failureKindMigration, pluginPermissionsMigration,
  jobRetryMigration,
];
