/** A JSON value: the only kind of value that crosses a process or frame boundary (docs/plugin-api.md §5). */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A JSON object. */
export type JsonObject = { [key: string]: Json };
