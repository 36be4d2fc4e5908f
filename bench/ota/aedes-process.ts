// A bare aedes broker on 127.0.0.1:<port>, run as its own process by the OTA benchmark.
import { createServer } from 'node:net';
import Aedes from 'aedes';

const port = Number(process.argv[2]);
const aedes = new Aedes();
const server = createServer(aedes.handle);
server.listen(port, '127.0.0.1');
const stop = () => server.close(() => aedes.close(() => process.exit(0)));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
