/** The platform API over fetch: bearer token, JSON bodies, error answers turned into ApiError. */
import { ApiError, CliError } from './errors.ts';
import { oneLine } from './format.ts';

export function describeNetworkError(err: unknown): string {
  const e = err as Error & { cause?: Error & { code?: string }; code?: string };
  const cause = e.cause ?? e;
  return cause.code ? `${cause.code}${cause.message && !cause.message.includes(cause.code) ? ` (${cause.message})` : ''}` : (cause.message ?? String(err));
}

async function apiErrorOf(res: Response, what: string): Promise<ApiError> {
  const text = await res.text().catch(() => '');
  try {
    const body = JSON.parse(text) as { error?: { code?: string; message?: string; details?: unknown[] }; message?: string };
    if (body.error && typeof body.error === 'object') {
      return new ApiError(res.status, body.error.code ?? 'ERROR', body.error.message ?? res.statusText, body.error.details ?? [], what);
    }
    // API Gateway's own answers (JWT authorizer, throttling) are {"message": "..."}
    if (typeof body.message === 'string') {
      const hint = res.status === 401 ? ' (the token is missing, expired or not issued for this API)' : '';
      return new ApiError(res.status, res.status === 401 ? 'UNAUTHORIZED' : 'HTTP_ERROR', body.message + hint, [], what);
    }
  } catch {
    // not JSON: fall through
  }
  return new ApiError(res.status, 'HTTP_ERROR', oneLine(text).slice(0, 300) || res.statusText, [], what);
}

export class ApiClient {
  readonly base: string;

  constructor(
    base: string,
    private token?: string,
  ) {
    this.base = base.replace(/\/+$/, '');
  }

  setToken(token: string) {
    this.token = token;
  }

  /** An API path ('/v1/...') or an absolute URL the API handed out. */
  url(pathOrUrl: string): string {
    return /^https?:\/\//i.test(pathOrUrl) ? pathOrUrl : `${this.base}${pathOrUrl.startsWith('/') ? '' : '/'}${pathOrUrl}`;
  }

  async fetch(method: string, path: string, body?: unknown, what = `${method} ${path}`): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(this.url(path), { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (err) {
      throw new CliError(`${what}: cannot reach the API at ${this.base}: ${describeNetworkError(err)}`);
    }
    if (!res.ok) throw await apiErrorOf(res, what);
    return res;
  }

  async json<T>(method: string, path: string, body?: unknown, what?: string): Promise<T> {
    const res = await this.fetch(method, path, body, what);
    const text = await res.text();
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new CliError(`${what ?? `${method} ${path}`}: the API answered ${res.status} with a body that is not JSON: ${oneLine(text).slice(0, 200)}`);
    }
  }
}
