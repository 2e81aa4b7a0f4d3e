/**
 * The capability guard between a worker and the host services (CONTRACT §4: "the host checks
 * the capability on every call it receives"). For every worker → host method it checks the
 * plugin's declared capabilities against `HOST_API_CAPABILITIES`, validates the arguments
 * with `HOST_API_SCHEMAS`, and only then calls the implementation.
 */
import { HTTP_OUTBOUND_PREFIX, type Capability } from '@plinth/sdk/protocol/capabilities';
import { PlinthError } from '@plinth/sdk/protocol/errors';
import { HOST_API_CAPABILITIES, type HostApi, type HostMethod, type HttpRequest } from '@plinth/sdk/protocol/rpc';
import type { RpcHandlers } from '@plinth/sdk/rpc/types';
import { matchOutboundHost } from '../services/http/http-service.ts';
import { describeArgumentIssues, HOST_API_SCHEMAS } from './host-api-schemas.ts';

/**
 * Says why a plugin lacks `capability` and what to do, when there is more to say than "declare
 * it" (API 1.1: an optional capability not yet allowed, or denied by the user); else `undefined`.
 */
export type DenialExplainer = (capability: string) => string | undefined;

const denied = (pluginId: string, method: string, capability: string, explain?: DenialExplainer) =>
  new PlinthError(
    'CAPABILITY_DENIED',
    `Plugin "${pluginId}" called ${method} without the "${capability}" capability; ${explain?.(capability) ?? 'add it to plinth.capabilities in package.json'}`,
    { capability },
  );

/** The host name of an outbound request (lowercase, no trailing dot), checked to be an http(s) URL. */
function outboundHost(request: HttpRequest): string {
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    throw new PlinthError('INVALID_INPUT', `Invalid arguments to http.fetch: request.url: "${request.url}" is not an absolute URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new PlinthError('INVALID_INPUT', `Invalid arguments to http.fetch: request.url: only http and https URLs can be fetched, not ${url.protocol}`);
  }
  return url.hostname.toLowerCase().replace(/\.$/, '');
}

/**
 * Wraps the HostApi implementation of one plugin so that every call is checked first.
 *
 * @param pluginId the plugin bound to this connection (used in messages only; `impl` is
 *   already built for it).
 * @param held the capabilities the plugin holds: a list, or a function read on every call, so a
 *   permission the user allows or revokes at run time (API 1.1, `ctx.permissions`) counts from
 *   the next call on.
 * @param impl the services for this plugin; may answer synchronously or with promises.
 * @param admit the plugin's rate limit, asked before anything else (throws `RATE_LIMITED`).
 * @param explain the end of a denial's message for capabilities it knows more about.
 * @returns a HostApi to serve to the worker. Every method returns a promise at runtime
 *   (typed as `HostApi` for the worker handle): it rejects with `CAPABILITY_DENIED`
 *   (message and `data.capability` name the missing capability, for `http.fetch`
 *   `http.outbound:<url host>`) or `INVALID_INPUT` (message names method and field)
 *   without calling `impl`, else settles as `impl` does.
 */
export function guardHostApi(
  pluginId: string, held: readonly Capability[] | (() => readonly Capability[]), impl: RpcHandlers<HostApi>,
  admit?: (method: HostMethod) => void, explain?: DenialExplainer,
): HostApi {
  const current = typeof held === 'function' ? held : () => held;
  const guarded: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
  for (const method of Object.keys(HOST_API_CAPABILITIES) as HostMethod[]) {
    const required = HOST_API_CAPABILITIES[method];
    const schema = HOST_API_SCHEMAS[method];
    guarded[method] = async (...args: unknown[]) => {
      // The rate first: a refused call costs no validation. `log` has its own backpressure in the worker.
      if (method !== 'log') admit?.(method);
      if (required !== null && required !== 'http.outbound' && !current().includes(required)) throw denied(pluginId, method, required, explain);
      const parsed = schema.safeParse(args);
      if (!parsed.success) {
        throw new PlinthError('INVALID_INPUT', `Invalid arguments to ${method}: ${describeArgumentIssues(method, parsed.error.issues)}`);
      }
      const valid = parsed.data as unknown[];
      if (required === 'http.outbound') {
        const host = outboundHost(valid[0] as HttpRequest);
        // The same matcher the HTTP service applies to every hop, so the two never disagree.
        if (!matchOutboundHost(current(), host)) throw denied(pluginId, method, `${HTTP_OUTBOUND_PREFIX}${host}`, explain);
      }
      const call = impl[method] as (...a: unknown[]) => unknown;
      return call.apply(impl, valid);
    };
  }
  return guarded as unknown as HostApi;
}
