/**
 * Keyset paging over `(time, id)`: a cursor is the key of the last item of a page, so pages
 * stay correct while rows are inserted (no skipped or repeated items, unlike OFFSET).
 */
import type { Page } from '@plinth/sdk/protocol/entities';
import { PlinthError } from '@plinth/sdk/protocol/errors';
import { DEFAULT_PAGE_LIMIT } from './workspace-input.ts';

/** The sort key of a row: its ISO time and its id. */
export type PageKey = readonly [time: string, id: string];

/** Encodes a key as an opaque cursor (base64url of JSON; callers must not parse it). */
export function encodeCursor(key: PageKey): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/**
 * Decodes a cursor made by {@link encodeCursor}.
 * @throws PlinthError `INVALID_INPUT` `"<method>: cursor is not one returned by a previous page"`.
 */
export function decodeCursor(method: string, cursor: string): PageKey {
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(key) && key.length === 2 && typeof key[0] === 'string' && typeof key[1] === 'string') {
      return [key[0], key[1]];
    }
  } catch {
    // Reported below, like any other malformed cursor.
  }
  throw new PlinthError('INVALID_INPUT', `${method}: cursor is not one returned by a previous page of this list`);
}

/** The SQL pieces of one page: extra WHERE condition and parameters for the cursor, and the LIMIT. */
export interface PageSql { where: string | null; params: string[]; fetch: number; limit: number }

/**
 * Builds the keyset condition for columns `timeColumn, idColumn`.
 * `descending` lists newest first. `fetch` is `limit + 1`: the extra row tells whether a next page exists.
 */
export function pageSql(
  method: string, query: { limit?: number; cursor?: string } | undefined,
  timeColumn: string, idColumn: string, descending = false,
): PageSql {
  const limit = query?.limit ?? DEFAULT_PAGE_LIMIT;
  const params: string[] = [];
  let where: string | null = null;
  if (query?.cursor !== undefined) {
    const [time, id] = decodeCursor(method, query.cursor);
    where = `(${timeColumn}, ${idColumn}) ${descending ? '<' : '>'} (?, ?)`;
    params.push(time, id);
  }
  return { where, params, fetch: limit + 1, limit };
}

/** Cuts the fetched rows to one page and sets `nextCursor` when more rows exist. */
export function toPage<R, T>(rows: R[], limit: number, keyOf: (row: R) => PageKey, map: (row: R) => T): Page<T> {
  const items = rows.slice(0, limit);
  const page: Page<T> = { items: items.map(map) };
  const last = items.at(-1);
  if (rows.length > limit && last !== undefined) page.nextCursor = encodeCursor(keyOf(last));
  return page;
}
