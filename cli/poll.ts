/** Following a batch: polls its receipt until it ends (with a spinner), and reports it with an exit code. */
import type { BatchStatus, Receipt } from '../functions/api-types.ts';
import { ApiError, CliError, EXIT } from './errors.ts';
import { formatReceipt, type Hint } from './format.ts';
import type { ApiClient } from './http.ts';
import { makeBar, sleep, type Ui } from './ui.ts';

const DONE: ReadonlySet<BatchStatus> = new Set(['COMPLETED', 'FAILED']);
const PHASE: Record<BatchStatus, number> = { RECEIVED: 1, PROCESSING: 2, COMPLETED: 3, FAILED: 3 };
const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export const getReceipt = (api: ApiClient, batchId: string) =>
  api.json<Receipt>('GET', `/v1/batches/${encodeURIComponent(batchId)}`, undefined, `batch ${batchId}`);

/** Rows known so far: the final count, or the planned count where the API reports one. */
function rowsText(r: Receipt | null): string {
  if (!r) return '';
  if (r.rows > 0) return `, ${r.rows} rows`;
  const planned = r.progress?.plannedRows;
  return typeof planned === 'number' && planned > 0 ? `, ${planned} rows planned` : '';
}

/** Polls the receipt until COMPLETED or FAILED, or until timeoutSeconds ran out (done: false). */
export async function waitForReceipt(api: ApiClient, batchId: string, timeoutSeconds: number, ui: Ui): Promise<{ receipt: Receipt; done: boolean }> {
  const deadline = Date.now() + timeoutSeconds * 1000;
  const bar = makeBar(ui, 'process  {bar} {spinner} {status}{rows} | {duration_formatted}');
  let spin = 0;
  let last: Receipt | null = null;
  const payload = () => ({
    spinner: last && DONE.has(last.status) ? ' ' : SPINNER[spin++ % SPINNER.length],
    status: last?.status ?? 'waiting',
    rows: rowsText(last),
  });
  bar?.start(3, 0, payload());
  // the spinner turns between polls, so a long batch visibly is still being waited for
  const phase = () => (last ? (PHASE[last.status] ?? 0) : 0);
  const ticker = bar ? setInterval(() => bar.update(phase(), payload()), 120) : null;
  let interval = 250;
  let transient = 0;
  try {
    for (;;) {
      try {
        last = await getReceipt(api, batchId);
        transient = 0;
      } catch (err) {
        // a blip (network, 5xx) while polling is waited out; anything else is an answer
        const blip = !(err instanceof ApiError) || err.status >= 500 || err.status === 429;
        if (!blip || ++transient > 5) throw err;
      }
      bar?.update(phase(), payload());
      if (last && DONE.has(last.status)) return { receipt: last, done: true };
      if (Date.now() + interval > deadline) {
        if (last) return { receipt: last, done: false };
        throw new CliError(`batch ${batchId}: no receipt within ${timeoutSeconds} s`, EXIT.timeout);
      }
      await sleep(interval);
      interval = Math.min(Math.round(interval * 1.5), 2000);
    }
  } finally {
    if (ticker) clearInterval(ticker);
    bar?.stop();
  }
}

function exitCodeOf(r: Receipt, done: boolean): number {
  if (!done) return EXIT.timeout;
  return r.status === 'FAILED' ? EXIT.failed : EXIT.ok;
}

export function report(r: Receipt, done: boolean, opts: { json?: boolean; errors: number }, timeoutSeconds: number | null, ui: Ui, hint: Hint): number {
  if (opts.json) process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
  else process.stdout.write(`${formatReceipt(r, opts.errors, hint)}\n`);
  if (!done && timeoutSeconds !== null)
    ui.log(`batch ${r.batchId} is still ${r.status} after ${timeoutSeconds} s; see how it ends with: ${hint(`batch ${r.batchId} --wait`)}`);
  return exitCodeOf(r, done || timeoutSeconds === null);
}
