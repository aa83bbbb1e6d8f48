// dynalite in its own thread, so the local DynamoDB does not compete with the workers' event loop.
import { parentPort, workerData } from 'node:worker_threads';
import dynalite from 'dynalite';

const server = dynalite({ path: workerData.path ?? undefined, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
server.listen(0, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port }));
parentPort.on('message', (msg) => {
  if (msg === 'close') server.close(() => parentPort.postMessage({ closed: true }));
});
