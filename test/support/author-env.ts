/**
 * The environment of an author's shell for child processes of a test: this test runner's own
 * variables are dropped (with NODE_TEST_CONTEXT set, a nested `node --test` reports to its
 * parent runner instead of printing its results).
 */
export function authorEnv(): NodeJS.ProcessEnv {
  const { NODE_TEST_CONTEXT: _context, NODE_OPTIONS: _options, ...env } = process.env;
  return env;
}
