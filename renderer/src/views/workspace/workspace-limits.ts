/**
 * Input limits the Workspace view's fields enforce as you type. They mirror the host's
 * (main/host/services/workspace/workspace-input.ts), which stays the rule: the renderer may
 * not import main code, and the host checks every value again.
 */

/** Longest project name or task title (characters). */
export const MAX_TITLE_CHARS = 500;
