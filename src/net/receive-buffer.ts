import type dgram from 'node:dgram';
import { intOption, lastErrnoName, loadLibc, SOL_SOCKET } from './libc.ts';

const SO_RCVBUFFORCE = 33;

export interface ReceiveBufferOutcome {
  /** What the kernel granted (it reports twice the size set, its bookkeeping included). */
  grantedBytes: number;
  /** Why SO_RCVBUFFORCE could not raise it, when it was tried and failed (EPERM without CAP_NET_ADMIN). */
  forceError?: string;
}

/**
 * Sizes a bound socket's receive buffer. The kernel caps SO_RCVBUF at net.core.rmem_max (often 208 KiB to
 * a few MiB), and a burst of datagrams beyond what the buffer holds while the process is busy is dropped by
 * the kernel; a process with CAP_NET_ADMIN may go beyond the cap with SO_RCVBUFFORCE, as syslog daemons do.
 */
export function sizeReceiveBuffer(socket: dgram.Socket, bytes: number): ReceiveBufferOutcome {
  socket.setRecvBufferSize(bytes);
  const granted = socket.getRecvBufferSize();
  // The kernel doubles the value set; anything below that was capped.
  if (granted >= bytes * 2) return { grantedBytes: granted };
  const fd = socketFd(socket);
  if (fd === undefined) return { grantedBytes: granted, forceError: 'no file descriptor' };
  let forceError: string | undefined;
  try {
    if (loadLibc().setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, intOption(bytes), 4) < 0) forceError = lastErrnoName();
  } catch (err) {
    forceError = err instanceof Error ? err.message : String(err);
  }
  return { grantedBytes: socket.getRecvBufferSize(), ...(forceError === undefined ? {} : { forceError }) };
}

/** The descriptor of a bound dgram socket (Node keeps its handle under a symbol; Linux exposes the fd). */
function socketFd(socket: dgram.Socket): number | undefined {
  const stateKey = Object.getOwnPropertySymbols(socket).find((symbol) => symbol.description === 'state symbol');
  const state = stateKey ? (socket as unknown as Record<symbol, { handle?: { fd?: unknown } }>)[stateKey] : undefined;
  const fd = state?.handle?.fd;
  return typeof fd === 'number' && fd >= 0 ? fd : undefined;
}
