import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startService, type RunningService } from '../helpers/service.ts';

/** Resident bytes of one V8 heap space, as /metrics reports them (prom-client's default Node metrics). */
async function heapSpaceBytes(service: RunningService, space: string): Promise<number> {
  return metricValue(service, `nodejs_heap_space_size_total_bytes{space="${space}"}`);
}

/** One sample of /metrics, by its name and labels as written there. */
async function metricValue(service: RunningService, sample: string): Promise<number> {
  const text = await (await fetch(`${service.baseUrl}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${sample} `));
  if (!line) throw new Error(`no ${sample} in /metrics`);
  return Number(line.slice(sample.length + 1));
}

/** Trims run so far, once the first has (half a second after ready; a few seconds at most). */
async function untilFirstTrim(service: RunningService): Promise<number> {
  let trims = await metricValue(service, 'netprobe_memory_trims_total');
  for (let i = 0; i < 50 && trims < 1; i++) {
    await new Promise((r) => setTimeout(r, 100));
    trims = await metricValue(service, 'netprobe_memory_trims_total');
  }
  return trims;
}

describe('memory given back after start (the service process, as npm start runs it)', () => {
  let service: RunningService;
  beforeAll(async () => {
    service = await startService();
  });
  afterAll(async () => {
    await service?.stop();
  });

  it('shrinks the young generation that parsing the MIB set grew (20–30 MB without the trim)', async () => {
    // Parsing the standard MIB set at start grows the young generation to --max-semi-space-size; the
    // memory-reducing collection once the service is ready gives it back.
    // The first trim runs half a second after ready: wait for it, a few seconds at most.
    let newSpace = await heapSpaceBytes(service, 'new');
    for (let i = 0; i < 50 && newSpace > 2 * 1024 * 1024; i++) {
      await new Promise((r) => setTimeout(r, 100));
      newSpace = await heapSpaceBytes(service, 'new');
    }
    expect(newSpace).toBeLessThanOrEqual(2 * 1024 * 1024);
  });

  it('then gives back what glibc keeps of the memory freed at start (malloc_trim)', async () => {
    // After the first trim (half a second after ready): what the C++ side freed while the MIB set was
    // parsed and the code compiled stays in glibc's arenas, resident, until malloc_trim returns it: several MB.
    const trims = await untilFirstTrim(service);
    expect(trims).toBeGreaterThanOrEqual(1);
    expect(await metricValue(service, 'netprobe_memory_trim_returned_bytes{step="malloc"}')).toBeGreaterThan(1024 * 1024);
  });

  it('then drops from its page tables the pages of the node binary that only start-up used, and serves on', async () => {
    // The module loader, the compilers run over every module at start, ICU data: 20–40 MB of the binary's
    // pages, resident after start and untouched by an idle service. They come back from the page cache
    // when a request needs them, so the service answers as before.
    await untilFirstTrim(service);
    expect(await metricValue(service, 'netprobe_memory_trim_returned_bytes{step="file"}')).toBeGreaterThan(4 * 1024 * 1024);
    const document = await fetch(`${service.baseUrl}/openapi.json`);
    expect(document.status).toBe(200);
    expect(((await document.json()) as { paths: object }).paths).toHaveProperty('/snmp/get');
    const invalid = await fetch(`${service.baseUrl}/snmp/get`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"oids":[]}' });
    expect(invalid.status).toBe(400);
  });
});
