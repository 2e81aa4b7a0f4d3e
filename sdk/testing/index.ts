/**
 * `@plinth/sdk/testing`: run a plugin's worker in a test, against an in-memory host with the
 * app's own capability checks.
 *
 * ```ts
 * import { createTestHarness } from '@plinth/sdk/testing';
 *
 * const harness = await createTestHarness({ manifest: 'path/to/my-plugin' });
 * t.after(() => harness.close());
 * await harness.setup();                                   // runs plinth.worker's setup(ctx)
 * const project = await harness.seed.project({ name: 'Launch' });
 * assert.deepEqual(await harness.data('counts', { projectId: project.id }), { todo: 0 });
 * ```
 *
 * See README.md beside this file for the whole API.
 */
export { createTestHarness } from './harness.ts';
export type {
  ConfigApplied, EmittedEvent, HarnessEventOptions, HarnessWebhookRequest, JobRunRecord, LogLine, SeededFixtures, TestHarness,
  TestHarnessOptions, Workspace, WorkspaceFixtures,
} from './types.ts';
export type { HttpStubs, RecordedRequest, RequestMatcher, StubbedResponse } from './http-stubs.ts';
