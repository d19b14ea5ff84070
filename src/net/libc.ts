import { constants as osConstants } from 'node:os';
import { loadOnFirstUse } from '../lazy-module.ts';

/**
 * The few libc calls Node does not offer (SO_BINDTODEVICE, SO_RCVBUFFORCE, malloc_trim, madvise), through koffi,
 * which is loaded on first use: a service that never needs them does not carry it (about 2 MB of RSS).
 * Linux only: the constants are the asm-generic values used by x86_64 and arm64.
 */
export const SOL_SOCKET = 1;

export interface Libc {
  socket: (domain: number, type: number, protocol: number) => number;
  setsockopt: (fd: number, level: number, name: number, value: Buffer, length: number) => number;
  bind: (fd: number, address: Buffer, length: number) => number;
  close: (fd: number) => number;
  /** glibc only: undefined on another C library. */
  mallocTrim: ((pad: number) => number) | undefined;
  madvise: (address: number, length: number, advice: number) => number;
}

/** madvise(2)'s advice that drops a range's pages from the process's page tables. */
export const MADV_DONTNEED = 4;

let libc: Libc | undefined;

/** koffi, loaded on first use. */
export const loadKoffi = loadOnFirstUse<typeof import('koffi')>('koffi');

export function loadLibc(): Libc {
  if (libc) return libc;
  const lib = loadKoffi().load('libc.so.6');
  libc = {
    socket: lib.func('int socket(int domain, int type, int protocol)'),
    setsockopt: lib.func('int setsockopt(int fd, int level, int name, const void *value, uint32_t length)'),
    bind: lib.func('int bind(int fd, const void *address, uint32_t length)'),
    close: lib.func('int close(int fd)'),
    mallocTrim: undefined,
    // An address as a number: user-space addresses on x86_64 and arm64 stay below 2^53.
    madvise: lib.func('int madvise(uintptr_t address, size_t length, int advice)'),
  };
  try {
    libc.mallocTrim = lib.func('int malloc_trim(size_t pad)');
  } catch {
    // Not glibc: no malloc_trim.
  }
  return libc;
}

/** The errno of the last failed libc call, by name (EPERM…). */
export function lastErrnoName(): string {
  const errno = loadKoffi().errno();
  const entry = Object.entries(osConstants.errno).find(([, value]) => value === errno);
  return entry ? entry[0] : `errno ${errno}`;
}

/** A 32-bit int option value, as setsockopt takes it. */
export function intOption(value: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeInt32LE(value, 0);
  return buffer;
}
