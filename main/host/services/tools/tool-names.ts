/**
 * Names agents see for plugin tools. MCP clients accept tool names of `[A-Za-z0-9_-]`, and
 * many cap them at 64 characters (OpenAI function names, Claude tool names), so a plugin
 * tool is published as `<plugin part>__<tool part>`:
 *
 * - plugin part: the plugin id without its leading `@`, every character other than
 *   `[A-Za-z0-9-]` (`/`, `.`, `_`, `~`) replaced by `-`. It never contains `_`, so the first
 *   `__` always separates plugin from tool: `@acme/kanban-overview` → `acme-kanban-overview`.
 * - tool part: the tool name, every character other than `[A-Za-z0-9_-]` replaced by `-`.
 * - past {@link MAX_QUALIFIED_TOOL_NAME} characters: the first 55 characters, `-`, and the
 *   first 8 hex digits of SHA-256(`<pluginId>\0<toolName>`), so long names stay distinct and stable.
 *
 * The mapping is deterministic (same name on every start, so agents' saved permissions
 * keep working); two plugins whose names map alike are detected by the registry.
 */
import { createHash } from 'node:crypto';
import { MAX_QUALIFIED_TOOL_NAME } from '@plinth/sdk/protocol/limits';

/** Between plugin part and tool part. */
export const TOOL_NAME_SEPARATOR = '__';
/** Hex digits of the hash suffix of a shortened name (32 bits: collisions only by bad luck, and then detected). */
const HASH_DIGITS = 8;

/** The plugin part of a published tool name. */
export function pluginToolPrefix(pluginId: string): string {
  return pluginId.replace(/^@/, '').replace(/[^A-Za-z0-9-]/g, '-');
}

/** The published (qualified) name of tool `toolName` of plugin `pluginId`. */
export function qualifyToolName(pluginId: string, toolName: string): string {
  const full = `${pluginToolPrefix(pluginId)}${TOOL_NAME_SEPARATOR}${toolName.replace(/[^A-Za-z0-9_-]/g, '-')}`;
  if (full.length <= MAX_QUALIFIED_TOOL_NAME) return full;
  const hash = createHash('sha256').update(`${pluginId}\u0000${toolName}`).digest('hex').slice(0, HASH_DIGITS);
  return `${full.slice(0, MAX_QUALIFIED_TOOL_NAME - HASH_DIGITS - 1)}-${hash}`;
}
