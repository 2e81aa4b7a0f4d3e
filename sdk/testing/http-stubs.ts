/**
 * `harness.http`: canned answers for `ctx.http.fetch`. The stubs replace only the network: the
 * request still goes through the host's capability guard and the real outbound HTTP service
 * (scheme, `http.outbound:<host>` matching, redirects re-checked, size caps), so a plugin
 * that passes here is refused or allowed in the app exactly the same way.
 */
import type { Json } from '../protocol/json.ts';

/** A request that reached the network layer (it passed every host check). Header names are lower case. */
export interface RecordedRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  /** The request body text, or `undefined` when there is none. */
  body: string | undefined;
}

/**
 * A canned response. `status` defaults to 200; a non-string `body` is sent as JSON with
 * `content-type: application/json` unless `headers` set one.
 */
export interface StubbedResponse {
  status?: number;
  headers?: Record<string, string>;
  body?: string | Json;
}

/**
 * Which requests a stub answers: a string matches a URL equal to it, with or without the
 * request's query string; a RegExp is tested against the full URL; a function decides.
 */
export type RequestMatcher = string | RegExp | ((request: RecordedRequest) => boolean);

/** The stubbed network of one harness. */
export interface HttpStubs {
  /**
   * Answers requests matching `match` with `response` (or with what a function of the request
   * returns). The stub added last wins when several match. A request no stub matches fails
   * in the plugin with `NETWORK_ERROR`, as an unreachable host would.
   */
  respond(match: RequestMatcher, response: StubbedResponse | ((request: RecordedRequest) => StubbedResponse | Promise<StubbedResponse>)): void;
  /** Every request that passed the host's checks and reached the network, oldest first. */
  readonly requests: readonly RecordedRequest[];
  /** Forgets every stub and recorded request. */
  reset(): void;
}

/** Statuses whose responses carry no body (the Fetch standard's "null body status"). */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

interface Stub { match: RequestMatcher; response: StubbedResponse | ((request: RecordedRequest) => StubbedResponse | Promise<StubbedResponse>) }

function matches(match: RequestMatcher, request: RecordedRequest): boolean {
  if (typeof match === 'function') return match(request);
  if (match instanceof RegExp) return match.test(request.url);
  const url = new URL(request.url);
  return request.url === match || `${url.origin}${url.pathname}` === match;
}

/** Creates the stubs and the `fetch` the host's HTTP service is given. */
export function createHttpStubs(): HttpStubs & { fetch: typeof fetch } {
  const stubs: Stub[] = [];
  const requests: RecordedRequest[] = [];

  const stubFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const headers: Record<string, string> = {};
    new Headers(init?.headers).forEach((value, name) => { headers[name] = value; });
    const body = typeof init?.body === 'string' ? init.body : undefined;
    const request: RecordedRequest = { url: String(input instanceof Request ? input.url : input), method: init?.method ?? 'GET', headers, body };
    const stub = stubs.findLast((candidate) => matches(candidate.match, request));
    if (!stub) {
      // The host reports a fetch that got no response as NETWORK_ERROR with this cause's message.
      throw new TypeError('fetch failed', {
        cause: { message: `no harness.http stub matches ${request.method} ${request.url}; add one with harness.http.respond(...)` },
      });
    }
    requests.push(request);
    const answer = typeof stub.response === 'function' ? await stub.response(request) : stub.response;
    const status = answer.status ?? 200;
    const responseHeaders = new Headers(answer.headers);
    let text: string | null = null;
    if (answer.body !== undefined && !NULL_BODY_STATUSES.has(status)) {
      if (typeof answer.body === 'string') {
        text = answer.body;
      } else {
        text = JSON.stringify(answer.body);
        if (!responseHeaders.has('content-type')) responseHeaders.set('content-type', 'application/json');
      }
    }
    return new Response(text, { status, headers: responseHeaders });
  };

  return {
    fetch: stubFetch as typeof fetch,
    respond(match, response) {
      stubs.push({ match, response });
    },
    get requests() {
      return requests;
    },
    reset() {
      stubs.length = 0;
      requests.length = 0;
    },
  };
}
