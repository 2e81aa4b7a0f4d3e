/**
 * The plugin installer: `createPluginInstaller` and the results of its
 * operations. Layout of the profile folder: `layout.ts`.
 */
export { createPluginInstaller, DEFAULT_UNINSTALL_GRACE_DAYS, type PluginInstaller, type PluginInstallerDeps } from './installer.ts';
export type { ArchiveInspection, CapabilityInfo, InstallAction, InstallOptions, InstallOutcome } from './archive-install.ts';
export type { ApproveResult, DeclineResult, PendingUpgrade } from './upgrade.ts';
export type { LoadUnpackedResult } from './unpacked.ts';
export type { PurgeExpiredResult, PurgeListener, RestoreResult, UninstalledPlugin, UninstallResult } from './uninstall.ts';
export { installLayout, pluginDataDirName, type InstallLayout } from './layout.ts';
export { PLUGIN_OWNED_TABLES } from './uninstall-records.ts';
