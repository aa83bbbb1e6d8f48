/** The platform's HTTP API as the console calls it: bearer token, JSON, errors as ApiError. */
import { parseConsoleConfig, type ConsoleConfig } from './config.ts';
import type { Session } from './session.ts';

export type { Session } from './session.ts';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The API's `details` (e.g. every row error of a correction), each with its Chinese `message`. */
    readonly details: Array<{ message?: string; field?: string }> = [],
  ) {
    super(message);
  }
}

/**
 * Deployed: /config.json (written by the CDK stack) names the API and the hosted sign-in; locally
 * there is none, the API is this origin and the demo accounts sign in. A config.json that is there
 * but wrong throws ConsoleConfigError.
 */
let apiBase = '';
export async function loadConfig(): Promise<ConsoleConfig> {
  let json: unknown;
  try {
    const res = await fetch('/config.json');
    if (res.ok) json = await res.json();
  } catch {
    // no config (or not JSON): the local runtime
  }
  const config = parseConsoleConfig(json);
  apiBase = config.apiUrl;
  return config;
}

async function errorOf(res: Response): Promise<ApiError> {
  const body = (await res.json().catch(() => ({}))) as { error?: { code: string; message: string; details?: unknown }; message?: string };
  const details = Array.isArray(body.error?.details) ? (body.error.details as ApiError['details']) : [];
  return new ApiError(res.status, body.error?.code ?? 'HTTP_' + res.status, body.error?.message ?? body.message ?? res.statusText, details);
}

/** The console is Chinese: the platform's messages (errors, row errors, the rejection CSV) are asked for in Chinese whatever the browser's language. */
const LANG = { 'accept-language': 'zh-CN' };

export async function call<T>(session: Session | null, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  const res = await fetch(apiBase + path, {
    method,
    headers: {
      ...LANG,
      ...headers,
      ...(session ? { authorization: `Bearer ${session.token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw await errorOf(res);
  return (await res.json()) as T;
}

/** The message with its details, one per line (a correction's row errors, a calendar's problems). */
export function fullMessage(err: unknown): string {
  if (!(err instanceof ApiError) || err.details.length === 0) return (err as Error).message;
  return [err.message, ...err.details.map((d) => d.message).filter(Boolean)].join('\n');
}

export async function callText(session: Session | null, path: string, headers: Record<string, string> = {}): Promise<string> {
  const res = await fetch(apiBase + path, { headers: { ...LANG, ...headers, ...(session ? { authorization: `Bearer ${session.token}` } : {}) } });
  if (!res.ok) throw await errorOf(res);
  return res.text();
}

/** PUT with upload progress (fetch cannot report it); resolves to the ETag. */
export function putWithProgress(url: string, body: Blob, onProgress: (sent: number) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', url);
    xhr.upload.onprogress = (e) => onProgress(e.loaded);
    xhr.onload = () =>
      xhr.status < 300 ? resolve(xhr.getResponseHeader('etag') ?? '') : reject(new ApiError(xhr.status, 'UPLOAD_FAILED', `上传失败（HTTP ${xhr.status}）`));
    xhr.onerror = () => reject(new ApiError(0, 'UPLOAD_FAILED', '上传失败：网络错误'));
    xhr.send(body);
  });
}

export function saveAs(name: string, content: string, type: string) {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([content], { type }));
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}
