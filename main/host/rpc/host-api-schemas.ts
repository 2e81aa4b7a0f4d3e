/**
 * One zod schema per worker → host method: the argument tuple a worker may send. The guard
 * parses every call with these before the capability's host check and before the service,
 * so a malformed payload from an untrusted worker never reaches a service. Objects are
 * strict: an unknown field is an error naming it.
 */
import { z } from 'zod';
import { TASK_PRIORITIES, TASK_STATUSES } from '@plinth/sdk/protocol/entities';
import {
  MAX_PERMISSION_REASON, MAX_REQUESTED_CAPABILITIES, MAX_WORKER_NAME_LENGTH as MAX_NAME_LENGTH,
} from '@plinth/sdk/protocol/limits';
import type { HostMethod } from '@plinth/sdk/protocol/rpc';

const name = z.string().min(1).max(MAX_NAME_LENGTH);
const json = z.json();
const jsonObject = z.record(z.string(), json);
const status = z.enum(TASK_STATUSES);

const stateScope = z.strictObject({
  scopeKind: z.enum(['instance', 'project', 'task']),
  scopeId: name.optional(),
  namespace: name.optional(),
});
const requireScopeId = (value: { scopeKind: string; scopeId?: string | undefined }, ctx: z.RefinementCtx) => {
  if (value.scopeKind !== 'instance' && value.scopeId === undefined) {
    ctx.addIssue({ code: 'custom', path: ['scopeId'], message: `is required when scopeKind is "${value.scopeKind}"` });
  }
};
const stateKey = stateScope.extend({ stateKey: name }).superRefine(requireScopeId);
const scope = stateScope.superRefine(requireScopeId);

const page = { limit: z.int().min(1).max(500).optional(), cursor: z.string().max(MAX_NAME_LENGTH).optional() };
const projectQuery = z.strictObject({ ...page, nameContains: z.string().max(MAX_NAME_LENGTH).optional() });
const projectFields = { name: z.string().min(1).max(MAX_NAME_LENGTH), description: z.string().optional() };
const projectInput = z.strictObject(projectFields);
const projectPatch = z.strictObject(projectFields).partial();
const taskQuery = z.strictObject({
  ...page,
  projectId: name.optional(),
  status: z.union([status, z.array(status)]).optional(),
  priority: z.enum(TASK_PRIORITIES).optional(),
  titleContains: z.string().max(MAX_NAME_LENGTH).optional(),
});
const taskFields = {
  title: z.string().min(1).max(MAX_NAME_LENGTH),
  description: z.string().optional(),
  status: status.optional(),
  priority: z.enum(TASK_PRIORITIES).optional(),
  customFields: jsonObject.optional(),
};
const taskInput = z.strictObject({ projectId: name, ...taskFields });
const taskPatch = z.strictObject(taskFields).partial();
const commentQuery = z.strictObject({ ...page, taskId: name });
const commentInput = z.strictObject({ taskId: name, body: z.string().min(1), author: z.string().max(MAX_NAME_LENGTH).optional() });
const activityQuery = z.strictObject({ ...page, pluginId: name.optional() });
const eventFilter = z.strictObject({ projectId: name.optional() });
const httpRequest = z.strictObject({
  url: z.string().min(1),
  method: z.string().regex(/^[A-Za-z]+$/, 'must be an HTTP method such as GET').optional(),
  headers: z.record(z.string(), z.string()).optional(),
  body: z.string().optional(),
});

const filePath = z.string().min(1).max(1024);
/** A permission request names 1..MAX_REQUESTED_CAPABILITIES capability strings (checked against the manifest by the permissions module). */
const requestedCapabilities = z.array(z.string().min(1).max(300)).min(1).max(MAX_REQUESTED_CAPABILITIES);
/** The reason shown to the user: 1..MAX_PERMISSION_REASON characters, not blank. */
const permissionReason = z.string().max(MAX_PERMISSION_REASON).refine((r) => r.trim().length > 0, 'must say why the plugin asks (not empty)');
const encoding = z.enum(['utf8', 'base64']);

/** The argument tuple schema of every worker → host method (exhaustive by type). */
export const HOST_API_SCHEMAS: Record<HostMethod, z.ZodType> = {
  'log': z.tuple([z.enum(['debug', 'info', 'warn', 'error']), z.string(), json.optional()]),
  'config.get': z.tuple([]),
  'secrets.resolve': z.tuple([name]),
  'state.get': z.tuple([stateKey]),
  'state.set': z.tuple([stateKey, json]),
  'state.delete': z.tuple([stateKey]),
  'state.list': z.tuple([scope]),
  'projects.list': z.tuple([projectQuery.optional()]),
  'projects.get': z.tuple([name]),
  'projects.create': z.tuple([projectInput]),
  'projects.update': z.tuple([name, projectPatch]),
  'projects.delete': z.tuple([name]),
  'tasks.list': z.tuple([taskQuery.optional()]),
  'tasks.get': z.tuple([name]),
  'tasks.create': z.tuple([taskInput]),
  'tasks.update': z.tuple([name, taskPatch]),
  'tasks.delete': z.tuple([name]),
  'comments.list': z.tuple([commentQuery]),
  'comments.create': z.tuple([commentInput]),
  'comments.delete': z.tuple([name]),
  'activity.list': z.tuple([activityQuery.optional()]),
  'events.subscribe': z.tuple([name, name, eventFilter.optional()]),
  'events.unsubscribe': z.tuple([name]),
  'events.emit': z.tuple([name, json]),
  'jobs.register': z.tuple([name]),
  'tools.register': z.tuple([name]),
  'http.fetch': z.tuple([httpRequest]),
  'files.read': z.tuple([filePath, z.strictObject({ encoding: encoding.optional() }).optional()]),
  'files.write': z.tuple([filePath, z.string(), z.strictObject({ encoding: encoding.optional(), append: z.boolean().optional() }).optional()]),
  'files.list': z.tuple([filePath.optional()]),
  'files.delete': z.tuple([filePath]),
  'files.stat': z.tuple([filePath]),
  'permissions.request': z.tuple([requestedCapabilities, permissionReason]),
  'permissions.list': z.tuple([]),
  'streams.open': z.tuple([name]),
  'streams.emit': z.tuple([name, json]),
  'streams.close': z.tuple([name]),
};

/** Parameter names of every method, to name the field in error messages (order of `HostApi`). */
export const HOST_API_PARAMS: Record<HostMethod, readonly string[]> = {
  'log': ['level', 'message', 'data'],
  'config.get': [],
  'secrets.resolve': ['ref'],
  'state.get': ['key'],
  'state.set': ['key', 'value'],
  'state.delete': ['key'],
  'state.list': ['scope'],
  'projects.list': ['query'],
  'projects.get': ['id'],
  'projects.create': ['input'],
  'projects.update': ['id', 'patch'],
  'projects.delete': ['id'],
  'tasks.list': ['query'],
  'tasks.get': ['id'],
  'tasks.create': ['input'],
  'tasks.update': ['id', 'patch'],
  'tasks.delete': ['id'],
  'comments.list': ['query'],
  'comments.create': ['input'],
  'comments.delete': ['id'],
  'activity.list': ['query'],
  'events.subscribe': ['subscriptionId', 'name', 'filter'],
  'events.unsubscribe': ['subscriptionId'],
  'events.emit': ['name', 'payload'],
  'jobs.register': ['jobKey'],
  'tools.register': ['name'],
  'http.fetch': ['request'],
  'files.read': ['path', 'options'],
  'files.write': ['path', 'data', 'options'],
  'files.list': ['path'],
  'files.delete': ['path'],
  'files.stat': ['path'],
  'permissions.request': ['capabilities', 'reason'],
  'permissions.list': [],
  'streams.open': ['channel'],
  'streams.emit': ['channel', 'event'],
  'streams.close': ['channel'],
};

/**
 * Describes zod issues of a method's argument tuple in words naming each field,
 * e.g. `key.scopeKind: Invalid option: expected one of "instance"|"project"|"task"`.
 */
export function describeArgumentIssues(method: HostMethod, issues: readonly z.core.$ZodIssue[]): string {
  const params = HOST_API_PARAMS[method];
  return issues.slice(0, 5).map((issue) => {
    const [first, ...rest] = issue.path;
    if (first === undefined) return `expected arguments (${params.join(', ')}): ${issue.message}`;
    const head = typeof first === 'number' ? (params[first] ?? `argument ${first + 1}`) : String(first);
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
    const field = [head, ...rest.map(String)].join('.');
    if (keys.length > 0) return keys.map((k) => `${field}.${k}: unknown field`).join('; ');
    return `${field}: ${issue.message}`;
  }).join('; ');
}
