/**
 * Small types shared by the host core's modules: the change notification and start-up notices.
 */
/** Notification that some plugin's summary changed (state, runtime, enablement). */
export interface PluginsChangedEvent { pluginId?: string; /** The plugin's code changed: frames must reload. */ reload?: boolean }

/** Something the app repaired or did at start that the user must hear about once. */
export interface StartupNotice {
  kind: 'database-recovered' | 'settings-recovered' | 'database-restored';
  /** What happened and what it means, in plain words. */
  message: string;
  /** Absolute path of the kept old file. */
  keptAs?: string;
}
