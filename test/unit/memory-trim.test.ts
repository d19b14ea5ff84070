import { describe, expect, it } from 'vitest';
import { droppableFileMappings, shouldTrim } from '../../src/memory-trim.ts';

const MB = 1024 * 1024;

/** One mapping of /proc/<pid>/smaps: its header line, then the fields this code reads (and a few it ignores). */
function mapping(header: string, rssKb: number, anonymousKb: number): string {
  return [header, `Size:              ${rssKb + 64} kB`, `Rss:               ${rssKb} kB`, `Anonymous:         ${anonymousKb} kB`, 'VmFlags: rd mr mw me'].join('\n');
}

const NODE = '/usr/local/bin/node';
const SMAPS = [
  mapping(`00400000-0074d000 r--p 00000000 fe:00 5357844                            ${NODE}`, 3380, 0),
  mapping(`0074d000-03081000 r-xp 0034d000 fe:00 5357844                            ${NODE}`, 29124, 0),
  // RELRO: written by the dynamic linker, then made read-only; its written pages are anonymous.
  mapping(`06b83000-06b87000 r--p 06782000 fe:00 5357844                            ${NODE}`, 16, 8),
  mapping(`06b87000-06bae000 rw-p 06786000 fe:00 5357844                            ${NODE}`, 156, 144),
  mapping('06bae000-06be8000 rw-p 00000000 00:00 0 ', 40, 40),
  mapping('3db9d000-43b1f000 rw-p 00000000 00:00 0                                  [heap]', 96968, 96968),
  mapping('7f1273dc0000-7f1273fc5000 r-xp 01653000 fe:00 5357844                    /opt/my node/bin/node (deleted)', 2048, 0),
  mapping('7f1274000000-7f1274100000 r--s 00000000 00:05 1234                       /dev/shm/shared', 1024, 0),
  mapping('7f1275000000-7f1275010000 r--p 00000000 fe:00 77                         /usr/lib/x86_64-linux-gnu/libm.so.6', 0, 0),
  mapping('7ffd5a1e4000-7ffd5a1e6000 r-xp 00000000 00:00 0                          [vdso]', 8, 0),
].join('\n');

describe('the file pages a memory trim drops from the page tables', () => {
  const mappings = droppableFileMappings(SMAPS);

  it('takes the private, read-only mappings of files that hold no page of their own', () => {
    expect(mappings.map((m) => m.start.toString(16))).toEqual(['400000', '74d000', '7f1273dc0000']);
    expect(mappings[1]).toEqual({ start: 0x74d000, end: 0x3081000, residentBytes: 29124 * 1024 });
  });

  it('leaves written pages (RELRO, .data), anonymous memory, shared mappings, and what is not resident', () => {
    const starts = new Set(mappings.map((m) => m.start));
    for (const kept of [0x6b83000, 0x6b87000, 0x6bae000, 0x3db9d000, 0x7f1274000000, 0x7f1275000000, 0x7ffd5a1e4000]) {
      expect(starts.has(kept)).toBe(false);
    }
  });

  it('finds nothing in text that is not smaps', () => {
    expect(droppableFileMappings('')).toEqual([]);
    expect(droppableFileMappings('VmRSS: 1 kB\nRss: 4 kB')).toEqual([]);
  });
});

describe('when an idle check trims', () => {
  const idle = { utilization: 0.001, newSpaceBytes: 1 * MB, residentBytes: 60 * MB, residentAfterLastTrim: 55 * MB };

  it('not when nothing grew', () => {
    expect(shouldTrim(idle)).toBe(false);
  });

  it('when the young generation grew', () => {
    expect(shouldTrim({ ...idle, newSpaceBytes: 32 * MB })).toBe(true);
  });

  it('when RSS grew since the last trim, with the young generation small again (what glibc keeps of a burst)', () => {
    expect(shouldTrim({ ...idle, residentBytes: 218 * MB })).toBe(true);
  });

  it('never while the event loop is busy', () => {
    expect(shouldTrim({ ...idle, utilization: 0.5, newSpaceBytes: 32 * MB, residentBytes: 218 * MB })).toBe(false);
  });
});
