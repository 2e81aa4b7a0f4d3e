// The Webhook inbox plugin's worker: plain ES module, no build step. `@plinth/sdk` is provided by the host.
// POST { "title": "…", "description"?: "…", "projectId"?: "…" } to the `inbox` webhook URL
// (shown in the plugin's settings) and a task is created; the answer is 201 { id, projectId }.
import { definePlugin, runWorker } from '@plinth/sdk';

/** The id of the Inbox project this plugin created, so it is made once and found again. */
const INBOX_PROJECT = { scopeKind: 'instance', stateKey: 'inbox-project-id' };
const INBOX_NAME = 'Inbox';
/** Workspace errors that are the sender's fault, and the status that tells them so. */
const CLIENT_ERRORS = { INVALID_INPUT: 400, NOT_FOUND: 404 };

/** A JSON answer; `headers` adds to the content type. */
function reply(status, value, headers = {}) {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body: JSON.stringify(value) };
}

/** The task fields from the body, or the message explaining what is wrong with it. */
function parseBody(text) {
  let body;
  try {
    body = JSON.parse(text);
  } catch (error) {
    return { error: `The body must be JSON like {"title": "…"}: ${error.message}` };
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { error: 'The body must be a JSON object like {"title": "…"}' };
  const { title, description, projectId } = body;
  if (typeof title !== 'string' || title.trim() === '') return { error: '"title" is required: a non-empty string' };
  if (description !== undefined && typeof description !== 'string') return { error: '"description" must be a string when given' };
  if (projectId !== undefined && (typeof projectId !== 'string' || projectId === '')) return { error: '"projectId" must be a non-empty string when given' };
  return { title, description, projectId };
}

let ctx;
/** The Inbox project being looked up or created, shared by concurrent requests so only one is made. */
let inbox;

async function findOrCreateInbox() {
  const knownId = await ctx.state.get(INBOX_PROJECT);
  // The user may have deleted the Inbox project; then a new one is made.
  if (typeof knownId === 'string' && (await ctx.projects.get(knownId))) return knownId;
  const project = await ctx.projects.create({ name: INBOX_NAME, description: 'Tasks received by the Webhook inbox plugin.' });
  await ctx.state.set(INBOX_PROJECT, project.id);
  ctx.logger.info('Created the Inbox project', { projectId: project.id });
  return project.id;
}

function inboxProjectId() {
  inbox ??= findOrCreateInbox().finally(() => { inbox = undefined; });
  return inbox;
}

const plugin = definePlugin({
  async setup(context) {
    ctx = context;
  },
  async onWebhook(input) {
    if (input.method !== 'POST') return reply(405, { error: 'Use POST' }, { allow: 'POST' });
    const parsed = parseBody(input.body);
    if (parsed.error) return reply(400, { error: parsed.error });
    try {
      const projectId = parsed.projectId ?? (await inboxProjectId());
      const task = await ctx.tasks.create({
        projectId, title: parsed.title, ...(parsed.description === undefined ? {} : { description: parsed.description }),
      });
      ctx.logger.info('Task created from a webhook', { taskId: task.id, requestId: input.requestId });
      return reply(201, { id: task.id, projectId });
    } catch (error) {
      const status = CLIENT_ERRORS[error?.code];
      if (status) return reply(status, { error: error.message });
      // Anything else is ours (e.g. a missing capability): log it; the sender gets the host's 502.
      ctx.logger.error('Could not create a task from a webhook', { code: error?.code ?? null, message: String(error?.message ?? error) });
      throw error;
    }
  },
});

export default plugin;
runWorker(plugin, import.meta.url);
