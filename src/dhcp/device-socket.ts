import { createSocket, type Socket } from 'node:dgram';
import { intOption, lastErrnoName, loadLibc, SOL_SOCKET } from '../net/libc.ts';

/**
 * A UDP socket bound to 0.0.0.0:<port> and to one network device (SO_BINDTODEVICE), so it can send and
 * receive limited broadcasts on an interface that has no IPv4 address. Node's dgram cannot set
 * SO_BINDTODEVICE, so the socket is made through libc (src/net/libc.ts) and then handed to dgram as an fd.
 * Linux only (the constants below are the asm-generic values used by x86_64 and arm64).
 */

const AF_INET = 2;
const SOCK_DGRAM = 2;
const SOCK_NONBLOCK = 0o4000;
const SOCK_CLOEXEC = 0o2000000;
const SO_REUSEADDR = 2;
const SO_BROADCAST = 6;
const SO_BINDTODEVICE = 25;

type DeviceSocketStep = 'socket' | 'setsockopt SO_REUSEADDR' | 'setsockopt SO_BROADCAST' | 'setsockopt SO_BINDTODEVICE' | 'bind' | 'dgram';

export class DeviceSocketError extends Error {
  override readonly name = 'DeviceSocketError';
  readonly step: DeviceSocketStep;
  readonly errnoCode: string;
  constructor(
    step: DeviceSocketStep,
    errnoCode: string,
  ) {
    super(`${step} failed: ${errnoCode}`);
    this.step = step;
    this.errnoCode = errnoCode;
  }
}

function sockaddrIn(port: number): Buffer {
  const address = Buffer.alloc(16);
  address.writeUInt16LE(AF_INET, 0);
  address.writeUInt16BE(port, 2);
  return address; // sin_addr stays 0.0.0.0
}

/** Opens the device-bound socket; the caller owns the returned dgram socket and must close it. */
export async function openDeviceSocket(device: string, port: number): Promise<Socket> {
  const c = loadLibc();
  const fd = c.socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) throw new DeviceSocketError('socket', lastErrnoName());
  let handedOver = false;
  try {
    const one = intOption(1);
    check(c.setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, one, 4), 'setsockopt SO_REUSEADDR');
    check(c.setsockopt(fd, SOL_SOCKET, SO_BROADCAST, one, 4), 'setsockopt SO_BROADCAST');
    const name = Buffer.from(`${device}\0`, 'utf8');
    check(c.setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, name, name.length), 'setsockopt SO_BINDTODEVICE');
    const address = sockaddrIn(port);
    check(c.bind(fd, address, address.length), 'bind');

    const socket = createSocket({ type: 'udp4' });
    await new Promise<void>((resolve, reject) => {
      const onError = (err: Error) => reject(new DeviceSocketError('dgram', (err as NodeJS.ErrnoException).code ?? err.message));
      socket.once('error', onError);
      socket.bind({ fd }, () => {
        socket.off('error', onError);
        resolve();
      });
    });
    handedOver = true;
    return socket;
  } finally {
    if (!handedOver) c.close(fd);
  }
}

function check(result: number, step: DeviceSocketError['step']): void {
  if (result < 0) throw new DeviceSocketError(step, lastErrnoName());
}
