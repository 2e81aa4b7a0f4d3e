/**
 * A plugin's manifest `icon` (served by the app protocol), shown wherever the shell names a
 * plugin; a neutral puzzle mark (or the caller's fallback) when the plugin has none or its file
 * does not load.
 */
import { useState, type ReactNode } from 'react';

/** Edge length of the icon when none is asked for (px): the puzzle mark's own grid. */
const DEFAULT_ICON_SIZE = 16;

/** Props of {@link PluginIcon}. */
export interface PluginIconProps {
  /** The icon URL (`pluginIcon` of a contribution), or absent. */
  src?: string | undefined;
  /** Edge length (px). */
  size?: number;
  /** Shown instead of the puzzle mark when there is no icon or it does not load. */
  fallback?: ReactNode;
}

/** The icon, decorative (the plugin's name is always written beside it). */
export function PluginIcon(props: PluginIconProps): ReactNode {
  const size = props.size ?? DEFAULT_ICON_SIZE;
  const [failed, setFailed] = useState(false);
  if (props.src && !failed) {
    return <img className="plugin-icon" src={props.src} width={size} height={size} alt="" data-testid="plugin-icon" onError={() => setFailed(true)} />;
  }
  if (props.fallback !== undefined) return props.fallback;
  return (
    <svg className="plugin-icon" width={size} height={size} viewBox="0 0 16 16" aria-hidden="true" data-testid="plugin-icon">
      <path fill="currentColor" d="M6 1.5a1.5 1.5 0 0 1 3 0V3h3a1 1 0 0 1 1 1v3h-1.5a1.5 1.5 0 0 0 0 3H13v3a1 1 0 0 1-1 1H9v-1.5a1.5 1.5 0 0 0-3 0V14H3a1 1 0 0 1-1-1v-3h1.5a1.5 1.5 0 0 0 0-3H2V4a1 1 0 0 1 1-1h3z" opacity=".7" />
    </svg>
  );
}
