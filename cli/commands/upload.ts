/** `upload FILE --item CODE`: streams the file to storage, then waits for its receipt (回执) and prints it. */
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { again, connect, nonNegativeInt, positiveInt, uiOf, withConnection } from '../connection.ts';
import { CliError, EXIT } from '../errors.ts';
import { uploadFile } from '../multipart.ts';
import { getReceipt, report, waitForReceipt } from '../poll.ts';

export function uploadCommand(program: Command, setExitCode: (code: number) => void): void {
  withConnection(
    program
      .command('upload')
      .description('upload a CSV or JSON Lines file for a catalog item and wait for its receipt')
      .argument('<file>', '.csv or .jsonl file')
      .requiredOption('--item <code>', 'catalog item code, e.g. AMR-PENALTY')
      .option('--name <fileName>', 'file name recorded on the receipt (default: the file’s own name)')
      .option('--no-wait', 'return once the file is uploaded, without waiting for the receipt')
      .option('--timeout <seconds>', 'how long to wait for the receipt', positiveInt('--timeout'), 600)
      .option('--concurrency <n>', 'parts uploaded in parallel', positiveInt('--concurrency', 32), 4)
      .option('--errors <n>', 'receipt errors to print', nonNegativeInt('--errors'), 10)
      .option('--json', 'print the receipt as JSON on stdout'),
  ).action(
    async (
      file: string,
      o: { item: string; name?: string; wait: boolean; timeout: number; concurrency: number; errors: number; json?: boolean },
      cmd: Command,
    ) => {
      let size: number;
      try {
        const s = await stat(file);
        if (!s.isFile()) throw new CliError(`${file} is not a file`);
        size = s.size;
      } catch (err) {
        if (err instanceof CliError) throw err;
        throw new CliError(`cannot read ${file}: ${(err as Error).message}`);
      }
      const ui = uiOf(cmd);
      const api = await connect(cmd);
      const { batchId } = await uploadFile(api, file, o.item, o.name ?? basename(file), size, o.concurrency, ui);
      if (!o.wait) {
        const receipt = await getReceipt(api, batchId);
        if (o.json) process.stdout.write(`${JSON.stringify(receipt, null, 2)}\n`);
        else process.stdout.write(`${batchId}\n`);
        ui.log(`not waiting; follow the batch with: ${again(cmd)(`batch ${batchId} --wait`)}`);
        setExitCode(EXIT.ok);
        return;
      }
      const { receipt, done } = await waitForReceipt(api, batchId, o.timeout, ui);
      setExitCode(report(receipt, done, o, o.timeout, ui, again(cmd)));
    },
  );
}
