/** Plain-text output: byte sizes, tables that keep CJK columns aligned, the receipt summary. */
import type { Receipt } from '../functions/api-types.ts';

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(v < 10 ? 2 : 1)} ${units[u]}`;
}

/** Terminal columns a string takes: CJK and full-width characters count two. */
function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    const wide =
      (c >= 0x1100 && c <= 0x115f) ||
      (c >= 0x2e80 && c <= 0xa4cf) ||
      (c >= 0xac00 && c <= 0xd7a3) ||
      (c >= 0xf900 && c <= 0xfaff) ||
      (c >= 0xfe30 && c <= 0xfe4f) ||
      (c >= 0xff00 && c <= 0xff60) ||
      (c >= 0xffe0 && c <= 0xffe6) ||
      (c >= 0x20000 && c <= 0x3fffd);
    w += wide ? 2 : 1;
  }
  return w;
}

export const pad = (s: string, width: number) => s + ' '.repeat(Math.max(0, width - displayWidth(s)));

/** A plain text table; the last column is not padded. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i] ?? ''))));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : pad(c, widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

/** One line, so a message with line breaks or control characters cannot break the table. */
export const oneLine = (s: unknown) => String(s ?? '').replace(/[\u0000-\u001f\u007f]+/g, ' ');

/** Builds a command line of this CLI that works as printed (connection.ts again). */
export type Hint = (args: string) => string;

export function formatReceipt(r: Receipt, maxErrors: number, hint: Hint): string {
  const fields: Array<[string, string]> = [
    ['batch', r.batchId],
    ['provider', r.provider],
    ['item', r.item],
    ['file', r.fileName],
    ['status', r.status],
  ];
  if (r.reason) fields.push(['reason', oneLine(r.reason)]);
  fields.push(['received', r.receivedAt ?? '']);
  if (r.completedAt) fields.push(['completed', r.completedAt]);
  fields.push(
    ['rows', String(r.rows)],
    ['accepted', String(r.accepted)],
    ['rejected', String(r.rejected)],
    ['linked', String(r.linked)],
    ['unlinked', String(r.unlinked)],
  );
  const out = fields.map(([k, v]) => `${pad(k, 10)} ${v}`);
  const errors = r.errors ?? [];
  if (errors.length > 0 && maxErrors > 0) {
    const shown = errors.slice(0, maxErrors);
    out.push('', `errors (first ${shown.length} of ${errors.length} in the receipt):`);
    out.push(
      table(
        ['ROW', 'FIELD', 'CODE', 'MESSAGE'],
        shown.map((e) => [String(e.row), oneLine(e.field ?? ''), oneLine(e.code), oneLine(e.message)]),
      )
        .split('\n')
        .map((l) => `  ${l}`)
        .join('\n'),
    );
  }
  if (r.rejected > 0) out.push('', `all rejected rows: ${hint(`rejections ${r.batchId} --out ${r.batchId}-rejections.csv`)}`);
  return out.join('\n');
}
