/** `rejections ID [--out FILE]`: every rejected row of a batch as CSV (original columns plus row, field, code, message). */
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import type { ReadableStream } from 'node:stream/web';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import { connect, uiOf, withConnection } from '../connection.ts';
import { CliError, EXIT } from '../errors.ts';
import { formatBytes } from '../format.ts';

export function rejectionsCommand(program: Command, setExitCode: (code: number) => void): void {
  withConnection(
    program
      .command('rejections')
      .description('download all rejected rows of a batch as CSV (original columns plus row, field, code, message)')
      .argument('<batchId>', 'batch id')
      .option('--out <file>', 'write to this file instead of stdout'),
  ).action(async (batchId: string, o: { out?: string }, cmd: Command) => {
    const ui = uiOf(cmd);
    const api = await connect(cmd);
    const res = await api.fetch('GET', `/v1/batches/${encodeURIComponent(batchId)}/rejections`, undefined, `rejections of batch ${batchId}`);
    const body = res.body ? Readable.fromWeb(res.body as ReadableStream<Uint8Array>) : Readable.from([]);
    if (o.out) {
      let bytes = 0;
      body.on('data', (c: Buffer) => (bytes += c.length));
      try {
        await pipeline(body, createWriteStream(o.out));
      } catch (err) {
        throw new CliError(`cannot write ${o.out}: ${(err as Error).message}`);
      }
      ui.log(`wrote the rejections of batch ${batchId} to ${o.out} (${formatBytes(bytes)})`);
    } else {
      await pipeline(body, process.stdout, { end: false });
    }
    setExitCode(EXIT.ok);
  });
}
