import { openTcp } from './connect.ts';
import { exchange } from './exchange.ts';
import { roundMs } from '../time.ts';
import type { Prober } from './types.ts';

/** Connect; then, if asked, send and read. Without `send`/`expect`/`readBytes` it is a connect scan. */
export const probeTcp: Prober = async (target, options, context) => {
  const opened = await openTcp(target, context);
  if (!opened.ok) return opened.outcome;
  const { socket } = opened;
  const connectMs = roundMs(opened.connectMs);
  try {
    if (!options.read) return { state: 'open', connectMs };
    const exchanged = await exchange(socket, options, context);
    return { state: 'open', connectMs, ...exchanged };
  } finally {
    socket.destroy();
  }
};
