/**
 * The client side of the per-plugin log viewer: appending polled lines,
 * filtering by level and text, and the text that Copy puts on the clipboard. Pure.
 */
import type { PluginLogLine } from '../../../preload/api.ts';
import type { LogLevel } from '../../../sdk/protocol/rpc.ts';
import { formatClock } from './format.ts';

/** Log levels from least to most severe. */
export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

/**
 * Most lines the viewer keeps: enough to scroll back through a burst, small enough that the
 * DOM stays responsive. The host keeps its own bounded ring and a rotating file for more.
 */
export const MAX_CLIENT_LOG_LINES = 2000;

/** What the viewer shows: lines at `minLevel` or above whose text contains `text` (any case). */
export interface LogFilter { minLevel: LogLevel; text: string }

/** The filter a fresh viewer starts with: everything. */
export const SHOW_ALL: LogFilter = { minLevel: 'debug', text: '' };

/** The highest `seq` in `lines`, or `undefined` for none: the `afterSeq` of the next poll. */
export function lastSeqOf(lines: readonly PluginLogLine[]): number | undefined {
  let last: number | undefined;
  for (const line of lines) if (last === undefined || line.seq > last) last = line.seq;
  return last;
}

/**
 * `current` followed by the lines of `incoming` that are newer than all of `current` (a poll
 * that overlaps the previous one adds nothing twice), in `seq` order, keeping the newest `max`.
 * Returns `current` itself when nothing was added, so React skips the re-render.
 */
export function appendLogLines(current: readonly PluginLogLine[], incoming: readonly PluginLogLine[], max = MAX_CLIENT_LOG_LINES): readonly PluginLogLine[] {
  const after = lastSeqOf(current) ?? -Infinity;
  const fresh = incoming.filter((line) => line.seq > after).sort((a, b) => a.seq - b.seq);
  if (fresh.length === 0) return current;
  const merged = [...current, ...fresh];
  return merged.length > max ? merged.slice(merged.length - max) : merged;
}

/** The data of a line as one-line JSON, or `''` when it has none. */
export function dataText(line: PluginLogLine): string {
  return line.data === undefined ? '' : JSON.stringify(line.data);
}

/** The lines that pass `filter`, in order. Text matches message, source and data JSON. */
export function filterLogLines(lines: readonly PluginLogLine[], filter: LogFilter): readonly PluginLogLine[] {
  const min = LOG_LEVELS.indexOf(filter.minLevel);
  const needle = filter.text.trim().toLocaleLowerCase();
  if (min <= 0 && needle === '') return lines;
  return lines.filter((line) => {
    if (LOG_LEVELS.indexOf(line.level) < min) return false;
    if (needle === '') return true;
    return `${line.message}\n${line.source}\n${dataText(line)}`.toLocaleLowerCase().includes(needle);
  });
}

/** One line as plain text: `HH:MM:SS.mmm LEVEL source message {data}`. */
export function formatLogLine(line: PluginLogLine): string {
  const data = dataText(line);
  return `${formatClock(line.time)} ${line.level.toUpperCase().padEnd(5)} ${line.source.padEnd(6)} ${line.message}${data ? ` ${data}` : ''}`;
}

/** What Copy puts on the clipboard: the given lines, one per row, ending with a newline. */
export function logLinesToText(lines: readonly PluginLogLine[]): string {
  return lines.length === 0 ? '' : `${lines.map(formatLogLine).join('\n')}\n`;
}
