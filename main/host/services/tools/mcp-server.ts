/**
 * Publishes plugin tools to AI agents over MCP (Streamable HTTP transport, stateless,
 * JSON responses) on 127.0.0.1 only. Every request needs `Authorization: Bearer <token>`;
 * the host decides when to start it (off by default) and where to show the token.
 *
 * Stateless: each POST gets a fresh MCP `Server` + transport, as the SDK recommends for
 * servers without sessions, so one client's requests cannot collide with another's. GET
 * (a server → client event stream) and DELETE (session end) are answered 405.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
// The low-level Server: tools come with plugin JSON Schemas, which McpServer's zod-based API does not take.
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { CallToolRequestSchema, ErrorCode as McpErrorCode, ListToolsRequestSchema, McpError, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { PlinthError } from '@plinth/sdk/protocol/errors';
import type { Json } from '@plinth/sdk/protocol/json';
import type { ToolRegistry } from './tool-registry.ts';

/** Path of the MCP endpoint. */
export const MCP_PATH = '/mcp';
/** Shortest accepted bearer token (characters): guessable tokens defeat the point. */
export const MIN_MCP_TOKEN_LENGTH = 16;
/** Largest request body (bytes, 4 MiB): tool arguments, well under the 8 MiB RPC cap. */
export const MAX_MCP_BODY_BYTES = 4 * 1024 * 1024;
/** Time to receive a whole request (ms). */
const REQUEST_TIMEOUT_MS = 30_000;
/** The only interface the server binds. */
const LOOPBACK = '127.0.0.1';
/** Port 0 asks the OS for any free port. */
const ANY_FREE_PORT = 0;
/** Name agents see for this server. */
const SERVER_INFO = { name: 'plinth', version: '1.0.0' };
/** `ToolRun.agent` of calls that come through MCP. */
const MCP_AGENT = 'mcp';

/** What the MCP server needs. */
export interface McpServerOptions {
  registry: ToolRegistry;
  /** Port to listen on; 0 (default) takes any free one. */
  port?: number;
  /** The bearer token clients must send; at least {@link MIN_MCP_TOKEN_LENGTH} characters. */
  token: string;
}

/** The MCP server (not listening until `start`). */
export interface PlinthMcpServer {
  /** Starts listening (idempotent) and resolves with the endpoint URL, `http://127.0.0.1:<port>/mcp`. */
  start(): Promise<{ url: string }>;
  /** Stops listening and closes open connections (idempotent). */
  stop(): Promise<void>;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

function jsonRpcError(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }));
}

function isObject(value: Json | undefined): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Builds the MCP server of one request over the registry. */
function buildServer(registry: ToolRegistry): Server {
  const server = new Server(SERVER_INFO, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, async () => ({
    tools: registry.list().map((entry) => ({
      name: entry.qualifiedName,
      title: entry.tool.displayName,
      description: `${entry.tool.description} (from the ${entry.pluginDisplayName} plugin)`,
      inputSchema: entry.tool.parametersSchema as { type: 'object'; [key: string]: unknown },
    })),
  }));
  server.setRequestHandler(CallToolRequestSchema, async (request): Promise<CallToolResult> => {
    const { name } = request.params;
    if (!registry.get(name)) throw new McpError(McpErrorCode.InvalidParams, `Unknown tool: ${name}`);
    try {
      const result = await registry.call(name, (request.params.arguments ?? {}) as Json, { agent: MCP_AGENT });
      const content: CallToolResult['content'] = [{ type: 'text', text: result.content }];
      // MCP asks servers that return structured content to also send it as text, for older clients.
      if (result.data !== undefined) content.push({ type: 'text', text: JSON.stringify(result.data) });
      return { content, ...(isObject(result.data) ? { structuredContent: result.data } : {}), isError: result.isError ?? false };
    } catch (error) {
      // Tool failures go back to the agent as an error result it can read and act on (MCP "tool execution errors").
      const code = error instanceof PlinthError ? error.code : 'INTERNAL';
      return { content: [{ type: 'text', text: `${code}: ${(error as Error).message}` }], isError: true };
    }
  });
  return server;
}

/**
 * Creates the MCP server.
 * @throws PlinthError `INVALID_INPUT` when the token is shorter than {@link MIN_MCP_TOKEN_LENGTH}.
 */
export function createMcpServer(options: McpServerOptions): PlinthMcpServer {
  const { registry, token } = options;
  if (typeof token !== 'string' || token.length < MIN_MCP_TOKEN_LENGTH) {
    throw new PlinthError('INVALID_INPUT', `The MCP token must be at least ${MIN_MCP_TOKEN_LENGTH} characters`);
  }
  const expected = digest(`Bearer ${token}`);
  let http: HttpServer | null = null;
  let url: string | null = null;
  let port = 0;

  function authorized(header: string | undefined): boolean {
    return typeof header === 'string' && timingSafeEqual(digest(header.trim()), expected);
  }

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (new URL(req.url ?? '/', 'http://localhost').pathname !== MCP_PATH) return jsonRpcError(res, 404, `Not found; the MCP endpoint is ${MCP_PATH}`);
    if (!authorized(req.headers.authorization)) {
      return jsonRpcError(res, 401, 'Missing or wrong bearer token', { 'www-authenticate': 'Bearer realm="plinth"' });
    }
    // DNS rebinding guard: a web page whose name resolves to 127.0.0.1 sends its own Host.
    const host = req.headers.host ?? '';
    if (host !== `${LOOPBACK}:${port}` && host !== `localhost:${port}`) return jsonRpcError(res, 403, `Invalid Host header: ${host}`);
    if (req.method !== 'POST') return jsonRpcError(res, 405, 'Method not allowed: this server is stateless, use POST', { allow: 'POST' });
    const server = buildServer(registry);
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true, maxRequestBodySize: MAX_MCP_BODY_BYTES });
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res);
  }

  return {
    async start() {
      if (url) return { url };
      const created = createServer((req, res) => {
        onRequest(req, res).catch((error: unknown) => {
          if (!res.headersSent) jsonRpcError(res, 500, `Internal error: ${(error as Error).message}`);
          else res.destroy();
        });
      });
      created.requestTimeout = REQUEST_TIMEOUT_MS;
      await new Promise<void>((resolve, reject) => {
        created.once('error', reject);
        created.listen(options.port ?? ANY_FREE_PORT, LOOPBACK, () => {
          created.off('error', reject);
          resolve();
        });
      });
      http = created;
      port = (created.address() as AddressInfo).port;
      url = `http://${LOOPBACK}:${port}${MCP_PATH}`;
      return { url };
    },
    async stop() {
      const closing = http;
      http = null;
      url = null;
      if (!closing) return;
      await new Promise<void>((resolve) => {
        closing.close(() => resolve());
        closing.closeAllConnections();
      });
    },
  };
}
