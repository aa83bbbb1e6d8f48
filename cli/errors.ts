/** The CLI's exit codes and the errors it prints (message, exit code) instead of a stack trace. */

export const EXIT = { ok: 0, failed: 1, error: 2, timeout: 3 } as const;

/** Something the user must fix or know: printed as is, exit code 2. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.error,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** An HTTP error answer of the API, with its `{"error": {code, message, details}}` body. */
export class ApiError extends CliError {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly apiMessage: string,
    readonly details: unknown[] = [],
    what = '',
  ) {
    super(`${what ? `${what}: ` : ''}HTTP ${status} ${code}: ${apiMessage}${formatDetails(details)}`);
    this.name = 'ApiError';
  }
}

function formatDetails(details: unknown[]): string {
  if (!Array.isArray(details) || details.length === 0) return '';
  const lines = details.slice(0, 20).map((d) => {
    if (d && typeof d === 'object') {
      const o = d as Record<string, unknown>;
      const where = o.path ?? o.field ?? o.row;
      const text = o.message ?? o.code;
      if (text !== undefined) return `  - ${where !== undefined ? `${Array.isArray(where) ? where.join('.') : String(where)}: ` : ''}${String(text)}`;
    }
    return `  - ${typeof d === 'string' ? d : JSON.stringify(d)}`;
  });
  if (details.length > 20) lines.push(`  … and ${details.length - 20} more`);
  return `\n${lines.join('\n')}`;
}
