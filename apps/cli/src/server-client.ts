import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface ServerOptions {
  server?: string;
  token?: string;
}

/** Raised for answers the user must act on; main prints its message without a stack. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/**
 * The operator token: --token, then FLEETPRUNE_TOKEN / FLEETPRUNE_ADMIN_TOKEN, then the
 * admin-token file a local server wrote into its data directory.
 */
export function resolveToken(explicit: string | undefined): string | undefined {
  if (explicit) return explicit;
  const fromEnv = process.env.FLEETPRUNE_TOKEN || process.env.FLEETPRUNE_ADMIN_TOKEN;
  if (fromEnv) return fromEnv;
  const file = join(resolve(process.env.DATA_DIR || './data'), 'admin-token');
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined;
}

/** JSON-over-HTTP client for the fleetprune API. */
export class ServerClient {
  readonly baseUrl: string;
  private readonly token: string | undefined;

  constructor(options: ServerOptions) {
    this.baseUrl = (options.server || process.env.FLEETPRUNE_SERVER || 'http://127.0.0.1:3000').replace(
      /\/$/,
      '',
    );
    this.token = resolveToken(options.token);
  }

  /** GETs a file's bytes (artifact downloads). */
  async download(path: string): Promise<Buffer> {
    const response = await this.send('GET', path);
    const bytes = Buffer.from(await response.arrayBuffer());
    if (!response.ok) throw this.failure('GET', path, response.status, bytes.toString('utf8'));
    return bytes;
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await this.send(method, path, body);
    const text = await response.text();
    if (!response.ok) throw this.failure(method, path, response.status, text);
    return (text ? safeJson(text) : undefined) as T;
  }

  private failure(method: string, path: string, status: number, text: string): CliError {
    const json = safeJson(text);
    const message = (json as { message?: string | string[] } | undefined)?.message;
    const detail = Array.isArray(message) ? message.join('; ') : (message ?? text);
    const hint = status === 401 ? ' (pass --token or set FLEETPRUNE_TOKEN)' : '';
    return new CliError(`${method} ${path} failed: ${status} ${detail}${hint}`);
  }

  private async send(method: string, path: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = {};
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    let payload: BodyInit | undefined;
    if (body instanceof FormData) payload = body;
    else if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, { method, headers, body: payload });
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
      throw new CliError(
        `cannot reach the fleetprune server at ${this.baseUrl} (${cause}); start it with "npm start" or pass --server <url>`,
      );
    }
    return response;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
