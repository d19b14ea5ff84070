import { untilAborted } from '../abort.ts';
import { AdapterError, outcomeOf } from '../errors.ts';
import type { ResolvedTarget, TargetResolver } from '../net/resolve.ts';
import { elapsedMs } from '../time.ts';
import { CredentialProfiles } from './credentials.ts';
import { ERROR_STATUS } from './errors.ts';
import type { MibResolver } from './mib.ts';
import type { SnmpMetrics, SnmpOperation } from './metrics.ts';
import {
  DEFAULT_TARGET_CONCURRENCY,
  type CredentialProfile,
  type OneTarget,
  type SnmpBulkRequest,
  type SnmpGetRequest,
  type SnmpSetRequest,
  type SnmpSetVarbind,
  type SnmpTableRequest,
  type SnmpTableResponse,
  type SnmpTarget,
  type SnmpTargetEntry,
  type SnmpTargetRequest,
  type SnmpWalkRequest,
  type TableRow,
  type VarbindJson,
  type WalkSummary,
} from './schemas.ts';
import { planTable, walkTable, type TablePlan } from './table.ts';
import { typedSetVarbind } from './set-type.ts';
import { SessionPool, type SessionPoolOptions, type SessionTarget, type SnmpSession } from './session.ts';
import { decimalToCounter64, TYPE_TAGS, varbindToJson, type WireVarbind } from './varbind.ts';
import { compareOids, inSubtree, type WalkStopReason } from './walk.ts';
import { WalkBudget } from './walk-budget.ts';
import { AgentLimiter } from './agent-limiter.ts';
import { splitPoints, walkInRanges } from './parallel-walk.ts';

export interface OperationOptions {
  signal?: AbortSignal;
}

export interface WalkOptions extends OperationOptions {
  /** The caller collects the whole walk before answering (JSON): it reserves its share of the walk buffer. */
  buffered?: boolean;
}

export interface VarbindsResult {
  varbinds: VarbindJson[];
  elapsedMs: number;
}

export interface SnmpLimits {
  /** Hard cap on the varbinds one walk returns (SNMP_MAX_VARBINDS). */
  maxVarbinds: number;
  /** Walks in progress at once (SNMP_MAX_WALKS). */
  maxWalks: number;
  /** Varbinds that buffered (JSON) walks may hold between them (SNMP_WALK_BUFFER_VARBINDS). */
  walkBufferVarbinds: number;
  setEnabled: boolean;
  /** Targets polled at once by one request, at most (SNMP_MAX_TARGET_CONCURRENCY). */
  maxTargetConcurrency: number;
  /** The most `parallel` a walk may ask for, and the walk requests in flight to one agent at once (SNMP_WALK_MAX_PARALLEL). */
  walkMaxParallel: number;
}

/** Any request that may name many targets. */
export interface ManyTargetsRequest extends Omit<SnmpTargetRequest, 'host'> {
  host?: string;
  targets?: SnmpTargetEntry[];
  concurrency?: number;
}

/** The result of one target of a many-target request: its body, or its own error. */
export type TargetOutcome<T> =
  | { index: number; target: { host: string; port: number }; ok: true; result: T }
  | { index: number; target: { host: string; port: number }; ok: false; error: AdapterError };

export interface TableWalk {
  plan: TablePlan;
  /** Rows in index order, in batches as they complete; returns whether maxRows cut the table. */
  rows: AsyncGenerator<TableRow[], { truncated: boolean }>;
}

export interface WalkResult extends WalkSummary {
  varbinds: VarbindJson[];
}

/** One SET, for the audit log: who, which device, which OIDs, and their values before and after. */
export interface SetAudit {
  actor: string;
  target: string;
  outcome: string;
  varbinds: { oid: string; name: string | undefined; before: VarbindJson['value'] | undefined; after: VarbindJson['value'] | undefined }[];
}

export interface SnmpServiceOptions {
  mib: MibResolver;
  /** Where SET audit entries go (the service log, at info level). */
  audit: (entry: SetAudit) => void;
  /** Resolves names once and applies the target policy; sessions connect to the address it returns. */
  resolver: TargetResolver;
  metrics: SnmpMetrics;
  limits: SnmpLimits;
  /** Named credential profiles (config snmp.credentials) that requests may reference. */
  credentials: Record<string, CredentialProfile>;
  /** Session pooling; the defaults suit the service (30 s idle, 256 sessions). */
  sessions?: Partial<SessionPoolOptions>;
}

/**
 * The SNMP adapter: get, getnext, getbulk, walk and set over net-snmp. No HTTP here; failures are AdapterErrors,
 * and every operation is counted and timed in the area's metrics.
 * Sessions come from a pool keyed by target and credentials (see SessionPool for the measurement).
 */
export class SnmpService {
  readonly mib: MibResolver;
  private readonly audit: (entry: SetAudit) => void;
  private readonly resolver: TargetResolver;
  private readonly metrics: SnmpMetrics;
  private readonly limits: SnmpLimits;
  private readonly pool: SessionPool;
  private readonly profiles: CredentialProfiles;
  private readonly walkBudget: WalkBudget;
  /** Walk requests in flight per agent, serial and parallel walks alike. */
  private readonly walkRequests: AgentLimiter;

  constructor({ mib, audit, resolver, metrics, limits, credentials, sessions }: SnmpServiceOptions) {
    this.mib = mib;
    this.audit = audit;
    this.resolver = resolver;
    this.metrics = metrics;
    this.limits = limits;
    this.profiles = new CredentialProfiles(credentials);
    this.pool = new SessionPool({ idleMs: sessions?.idleMs ?? 30_000, maxSessions: sessions?.maxSessions ?? 256 });
    this.walkBudget = new WalkBudget({ maxWalks: limits.maxWalks, bufferVarbinds: limits.walkBufferVarbinds });
    this.walkRequests = new AgentLimiter(limits.walkMaxParallel);
  }

  /** Closes the pooled sessions (their sockets do not keep the process alive, so this is optional). */
  close(): void {
    this.pool.closeAll();
  }

  get(request: SnmpGetRequest, { signal }: OperationOptions = {}): Promise<VarbindsResult> {
    return this.measured('get', () => this.simple(request, signal, (session, oids, sig) => session.get(oids, sig)));
  }

  getNext(request: SnmpGetRequest, { signal }: OperationOptions = {}): Promise<VarbindsResult> {
    return this.measured('getnext', () => this.simple(request, signal, (session, oids, sig) => session.getNext(oids, sig)));
  }

  bulk(request: SnmpBulkRequest, { signal }: OperationOptions = {}): Promise<VarbindsResult> {
    return this.measured('bulk', async () => {
      if (this.profiles.targetOf({ ...request, host: oneHost(request) }).version === '1') throw new AdapterError('INVALID_INPUT', 'snmp', 'GETBULK does not exist in SNMPv1; use 2c or 3');
      return this.simple(request, signal, async (session, oids, sig) => {
        // With no repeaters a GETBULK is a GETNEXT (RFC 3416 §4.2.3); net-snmp's GETBULK decoder cannot cope
        // with an agent that sends repetitions anyway, so ask for exactly that.
        if (request.nonRepeaters >= oids.length) return session.getNext(oids, sig);
        const rows = await withFewerRepetitionsOnTooBig(request.maxRepetitions, (reps) =>
          session.getBulk(oids, request.nonRepeaters, reps, sig),
        );
        return flattenBulk(rows, request.nonRepeaters);
      });
    });
  }

  /**
   * Reads the values first (best effort), then sets them, and writes an audit entry either way: who, which
   * device, which OIDs, the values before and as the agent confirmed them.
   */
  set(request: SnmpSetRequest, { signal, actor = 'anonymous' }: OperationOptions & { actor?: string } = {}): Promise<VarbindsResult> {
    return this.measured('set', async () => {
      if (!this.limits.setEnabled) throw new AdapterError('UNAVAILABLE', 'snmp', 'SNMP set is disabled on this server (SNMP_SET_ENABLED)');
      const wire = request.varbinds.map((vb, position) => this.toWire(vb, position));
      const started = performance.now();
      const spec = await this.sessionTarget(request, false);
      const before = await this.withSession(spec, (session) => session.get(wire.map((vb) => vb.oid), signal)).catch(() => undefined);
      const audit = (after: WireVarbind[] | undefined, outcome: string) =>
        this.audit({
          actor,
          target: `${spec.address}:${spec.target.port}`,
          outcome,
          varbinds: wire.map((vb, i) => ({
            oid: vb.oid,
            name: this.mib.nameOf(vb.oid),
            before: before?.[i] ? varbindToJson(before[i], this.mib).value : undefined,
            after: after?.[i] ? varbindToJson(after[i], this.mib).value : undefined,
          })),
        });
      try {
        const varbinds = await this.withSession(spec, (session) => session.set(wire, signal));
        audit(varbinds, 'ok');
        return { varbinds: varbinds.map((vb) => varbindToJson(vb, this.mib)), elapsedMs: elapsedMs(started) };
      } catch (err) {
        audit(undefined, outcomeOf(err));
        throw err;
      }
    });
  }

  /**
   * Walks a subtree: GETBULK on v2c/v3, GETNEXT on v1. Yields varbinds as they arrive and returns the summary.
   * Ends at the end of the subtree, on endOfMibView, on a non-increasing OID (reported, never looped) and at
   * maxVarbinds. Breaking out of the iteration (or aborting the signal) stops it and gives the session back.
   */
  async *walk(request: SnmpWalkRequest, options: WalkOptions = {}): AsyncGenerator<VarbindJson, WalkSummary> {
    const batches = this.walkBatches(request, options);
    try {
      for (;;) {
        const step = await batches.next();
        if (step.done) return step.value;
        yield* step.value;
      }
    } finally {
      await batches.return(undefined as never);
    }
  }

  /**
   * The same walk, one array per agent reply: callers that write or copy varbinds do it once per reply.
   * It starts only within the walk budget (UNAVAILABLE otherwise), which it holds until it ends, however it ends.
   */
  async *walkBatches(request: SnmpWalkRequest, { signal, buffered = false }: WalkOptions = {}): AsyncGenerator<VarbindJson[], WalkSummary> {
    return yield* this.budgeted('walk', buffered ? Math.min(request.maxVarbinds, this.limits.maxVarbinds) : 0, () => this.walkOf(request, signal, buffered));
  }

  /** The serial walk or, with `parallel` > 1 on v2c/v3 and a subtree the MIBs can split, the walk in ranges. */
  private walkOf(request: SnmpWalkRequest, signal: AbortSignal | undefined, buffered: boolean): AsyncGenerator<VarbindJson[], WalkSummary> {
    const parallel = Math.min(request.parallel, this.limits.walkMaxParallel);
    if (parallel > 1 && this.profiles.targetOf({ ...request, host: oneHost(request) }).version !== '1') {
      const root = this.mib.toNumeric(request.oid);
      const points = splitPoints(this.mib.oidsUnder(root));
      if (points.length > 0) return this.walkRanges(request, root, points, parallel, buffered, signal);
    }
    return this.walkReplies(request, signal);
  }

  /** The walk in ranges (parallel-walk.ts) over one pooled session; its answer is the serial walk's. */
  private async *walkRanges(
    request: SnmpWalkRequest,
    root: string,
    points: readonly string[],
    parallel: number,
    buffered: boolean,
    signal: AbortSignal | undefined,
  ): AsyncGenerator<VarbindJson[], WalkSummary> {
    const started = performance.now();
    const spec = await this.sessionTarget(request, true);
    const lease = this.pool.acquire(spec);
    let healthy = true;
    try {
      const ranges = walkInRanges({
        root,
        points,
        parallel,
        buffered,
        signal,
        limit: Math.min(request.maxVarbinds, this.limits.maxVarbinds),
        fetcher: () => {
          let repetitions = request.maxRepetitions;
          return (after) => this.nextBatch(lease.session, spec, after, repetitions, signal, (used) => (repetitions = used));
        },
      });
      let step = await ranges.next();
      for (; !step.done; step = await ranges.next()) yield step.value.map((vb) => varbindToJson(vb, this.mib));
      const { count, ...end } = step.value;
      const summary: WalkSummary = { truncated: end.stopReason === 'maxVarbinds', ...end, elapsedMs: elapsedMs(started) };
      if (end.stopReason !== 'endOfMibView' && end.stopReason !== 'endOfSubtree') return summary;
      return yield* this.rootInstanceIfEmpty(lease.session, root, count, signal, summary);
    } catch (err) {
      healthy = isSessionHealthyAfter(err);
      throw err;
    } finally {
      lease.release(healthy);
    }
  }

  /**
   * Runs a walk (or a table) within the walk budget, which it holds until it ends however it ends, and counts
   * and times it by its outcome (`cancelled` when the caller stops reading).
   */
  private async *budgeted<T, R>(operation: SnmpOperation, bufferedVarbinds: number, run: () => AsyncGenerator<T, R>): AsyncGenerator<T, R> {
    const started = performance.now();
    let outcome = 'cancelled'; // unless it ends or fails: the caller stopped reading
    try {
      const reservation = this.walkBudget.reserve(bufferedVarbinds);
      try {
        const result = yield* run();
        outcome = 'ok';
        return result;
      } finally {
        reservation.release();
      }
    } catch (err) {
      outcome = outcomeOf(err);
      throw err;
    } finally {
      this.metrics.record(operation, outcome, performance.now() - started);
    }
  }

  private async *walkReplies(request: SnmpWalkRequest, signal: AbortSignal | undefined): AsyncGenerator<VarbindJson[], WalkSummary> {
    const started = performance.now();
    const root = this.mib.toNumeric(request.oid);
    const limit = Math.min(request.maxVarbinds, this.limits.maxVarbinds);
    const spec = await this.sessionTarget(request, true);
    const lease = this.pool.acquire(spec);
    const session = lease.session;
    let healthy = true;
    const summary = (stopReason: WalkStopReason, extra: Partial<WalkSummary> = {}): WalkSummary => ({
      truncated: stopReason === 'maxVarbinds',
      stopReason,
      ...extra,
      elapsedMs: elapsedMs(started),
    });

    // One request is always in flight ahead of the caller: the next GETBULK goes out as soon as a reply's
    // last OID is known, so naming and serializing a reply overlaps the agent's work on the next one.
    try {
      let previous = root;
      let count = 0;
      let repetitions = request.maxRepetitions;
      const fetchAfter = (oid: string) => {
        const next = this.nextBatch(session, spec, oid, repetitions, signal, (used) => (repetitions = used));
        next.catch(() => {}); // awaited below, unless the caller stops first
        return next;
      };
      let inFlight = fetchAfter(previous);
      for (;;) {
        const batch = await inFlight;
        if (batch === 'endOfMibView') return yield* this.rootInstanceIfEmpty(session, root, count, signal, summary('endOfMibView'));
        const accepted: WireVarbind[] = [];
        let stop: WalkSummary | undefined;
        let rootInstance: 'endOfMibView' | 'endOfSubtree' | undefined;
        for (let i = 0; i < batch.length && stop === undefined && rootInstance === undefined; i++) {
          const vb = batch[i];
          if (vb.type === TYPE_TAGS.EndOfMibView) rootInstance = 'endOfMibView';
          else if (!inSubtree(root, vb.oid)) rootInstance = 'endOfSubtree';
          else if (compareOids(vb.oid, previous) <= 0) stop = summary('nonIncreasingOid', { nonIncreasingOid: { previous, received: vb.oid } });
          else {
            accepted.push(vb);
            previous = vb.oid;
            count++;
            if (count >= limit) {
              const next = batch[i + 1];
              const moreLikely = next === undefined || (inSubtree(root, next.oid) && next.type !== TYPE_TAGS.EndOfMibView);
              stop = moreLikely ? summary('maxVarbinds') : summary(next.type === TYPE_TAGS.EndOfMibView ? 'endOfMibView' : 'endOfSubtree');
            }
          }
        }
        if (batch.length === 0) throw new AdapterError('PROTOCOL', 'snmp', 'the agent answered a walk request with no varbinds');
        if (stop === undefined && rootInstance === undefined) inFlight = fetchAfter(previous);
        if (accepted.length > 0) yield accepted.map((vb) => varbindToJson(vb, this.mib));
        if (rootInstance !== undefined) return yield* this.rootInstanceIfEmpty(session, root, count, signal, summary(rootInstance));
        if (stop !== undefined) return stop;
      }
    } catch (err) {
      healthy = isSessionHealthyAfter(err);
      throw err;
    } finally {
      lease.release(healthy);
    }
  }

  /** Like snmpwalk: when the subtree is empty, the root may itself be an instance (walk of sysName.0). */
  private async *rootInstanceIfEmpty(
    session: SnmpSession,
    root: string,
    count: number,
    signal: AbortSignal | undefined,
    summary: WalkSummary,
  ): AsyncGenerator<VarbindJson[], WalkSummary> {
    if (count > 0) return summary;
    const [vb] = await session.get([root], signal).catch(() => [] as WireVarbind[]);
    if (vb && !isException(vb.type)) yield [varbindToJson(vb, this.mib)];
    return summary;
  }

  /**
   * One walk request, within the agent's cap of walk requests in flight (SNMP_WALK_MAX_PARALLEL). It goes out
   * without the caller's signal and holds its slot until the agent answers or it times out, so that a walk
   * that stops early never leaves more requests at the agent than the cap; the caller stops waiting at once.
   */
  private async nextBatch(
    session: SnmpSession,
    spec: SessionTarget,
    after: string,
    repetitions: number,
    signal: AbortSignal | undefined,
    onRepetitionsUsed: (reps: number) => void,
  ): Promise<WireVarbind[] | 'endOfMibView'> {
    const agent = `${spec.address}:${spec.target.port}`;
    // Without waiting when a slot is free: the request then goes out before this turn names the last reply.
    const release = this.walkRequests.tryAcquire(agent) ?? (await this.walkRequests.acquire(agent, signal));
    const request = this.sendWalkRequest(session, spec.target.version, after, repetitions, onRepetitionsUsed);
    request.then(release, release);
    return cancellable(request, signal);
  }

  private async sendWalkRequest(
    session: SnmpSession,
    version: SnmpTarget['version'],
    after: string,
    repetitions: number,
    onRepetitionsUsed: (reps: number) => void,
  ): Promise<WireVarbind[] | 'endOfMibView'> {
    if (version === '1') {
      try {
        return await session.getNext([after]);
      } catch (err) {
        // SNMPv1 agents signal the end of the MIB view with noSuchName.
        if (err instanceof AdapterError && isStatus(err, 'noSuchName')) return 'endOfMibView';
        throw err;
      }
    }
    const rows = await withFewerRepetitionsOnTooBig(repetitions, (reps) => {
      onRepetitionsUsed(reps);
      return session.getBulk([after], 0, reps);
    });
    const first = rows[0];
    return Array.isArray(first) ? first : first ? [first] : [];
  }

  /** A whole walk in one answer (JSON), within the walk buffer. */
  async walkCollected(request: SnmpWalkRequest, { signal }: OperationOptions = {}): Promise<WalkResult> {
    const walk = this.walkBatches(request, { signal, buffered: true });
    const varbinds: VarbindJson[] = [];
    let step = await walk.next();
    while (!step.done) {
      for (const vb of step.value) varbinds.push(vb);
      step = await walk.next();
    }
    return { varbinds, ...step.value };
  }

  /**
   * A table: its columns walked together with GETBULK (GETNEXT on v1), rows given out in index order as they
   * complete. The plan (table, INDEX, columns) is settled before anything is sent: an unknown name fails here.
   * A buffered (JSON) table reserves its cells in the walk buffer, like a JSON walk.
   */
  async table(request: SnmpTableRequest, { signal, buffered = false }: WalkOptions = {}): Promise<TableWalk> {
    const plan = planTable(this.mib, request);
    const columns = Math.max(plan.columns.length, 1);
    const maxCells = Math.min(this.limits.maxVarbinds, request.maxRows * columns);
    return { plan, rows: this.tableRows(request, plan, maxCells, signal, buffered) };
  }

  /** The whole table in one answer (JSON). */
  async tableCollected(request: SnmpTableRequest, { signal }: OperationOptions = {}): Promise<SnmpTableResponse> {
    const started = performance.now();
    const { plan, rows } = await this.table(request, { signal, buffered: true });
    const collected: TableRow[] = [];
    let step = await rows.next();
    while (!step.done) {
      for (const row of step.value) collected.push(row);
      step = await rows.next();
    }
    return { table: plan.table, index: plan.index, columns: plan.columns, rows: collected, truncated: step.value.truncated, elapsedMs: elapsedMs(started) };
  }

  private async *tableRows(
    request: SnmpTableRequest,
    plan: TablePlan,
    maxCells: number,
    signal: AbortSignal | undefined,
    buffered: boolean,
  ): AsyncGenerator<TableRow[], { truncated: boolean }> {
    return yield* this.budgeted('table', buffered ? maxCells : 0, async function* (this: SnmpService) {
      const spec = await this.sessionTarget(request, true);
      const lease = this.pool.acquire(spec);
      let healthy = true;
      try {
        return yield* walkTable(lease.session, plan, this.mib, {
          version: spec.target.version,
          maxRows: request.maxRows,
          maxRepetitions: request.maxRepetitions,
          maxCells,
          signal,
          getBulk: async (oids, repetitions) => {
            const replies = await withFewerRepetitionsOnTooBig(repetitions, (reps) => lease.session.getBulk(oids, 0, reps, signal));
            return replies.map((column) => (Array.isArray(column) ? column : column ? [column] : []));
          },
        });
      } catch (err) {
        healthy = isSessionHealthyAfter(err);
        throw err;
      } finally {
        lease.release(healthy);
      }
    }.bind(this));
  }

  /**
   * Runs `run` for every target of a many-target request, at most `concurrency` at a time, each with its own
   * timeout: a dead target holds up nobody but its own slot. The request's fields are every target's defaults.
   * Results come back in input order, each ok or with its own AdapterError; `onResult` sees them as they complete.
   */
  async forEachTarget<R extends ManyTargetsRequest, T>(
    request: R,
    run: (one: OneTarget<R>, signal: AbortSignal | undefined) => Promise<T>,
    { signal, onResult, walks = false }: OperationOptions & { onResult?: (outcome: TargetOutcome<T>) => void | Promise<void>; walks?: boolean } = {},
  ): Promise<TargetOutcome<T>[]> {
    const ones = expandTargets(request);
    const asked = request.concurrency ?? DEFAULT_TARGET_CONCURRENCY;
    const concurrency = Math.max(1, Math.min(asked, this.limits.maxTargetConcurrency, walks ? this.limits.maxWalks : Infinity, ones.length));
    const outcomes = new Array<TargetOutcome<T>>(ones.length);
    // Walks and tables reserve the walk budget: one that finds it taken by others of this same request waits
    // for one of them to end rather than fail (when none of them runs, the budget is taken by others: it fails).
    let running = 0;
    let waiting: (() => void)[] = [];
    const released = () => {
      const wake = waiting;
      waiting = [];
      for (const resume of wake) resume();
    };
    const attempt = async (one: OneTarget<R>): Promise<T> => {
      for (;;) {
        running++;
        let wait: Promise<void> | undefined;
        try {
          return await run(one, signal);
        } catch (err) {
          if (!(walks && running > 1 && err instanceof AdapterError && err.code === 'UNAVAILABLE')) throw err;
          wait = new Promise<void>((resume) => waiting.push(resume));
        } finally {
          running--;
          if (wait === undefined) released();
        }
        await wait;
      }
    };
    let next = 0;
    const worker = async () => {
      while (next < ones.length && !signal?.aborted) {
        const index = next++;
        const one = ones[index];
        const target = { host: one.host, port: one.port };
        let outcome: TargetOutcome<T>;
        try {
          outcome = { index, target, ok: true, result: await attempt(one) };
        } catch (err) {
          if (!(err instanceof AdapterError)) throw err;
          outcome = { index, target, ok: false, error: err };
        }
        outcomes[index] = outcome;
        await onResult?.(outcome);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    if (signal?.aborted) throw new AdapterError('CANCELLED', 'snmp', 'the client went away');
    return outcomes;
  }

  /** Counts and times an operation by its outcome: `ok`, or the adapter error code in lower case. */
  private async measured<T>(operation: SnmpOperation, run: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      const result = await run();
      this.metrics.record(operation, 'ok', performance.now() - started);
      return result;
    } catch (err) {
      this.metrics.record(operation, outcomeOf(err), performance.now() - started);
      throw err;
    }
  }

  private async simple(
    request: SnmpGetRequest | SnmpBulkRequest,
    signal: AbortSignal | undefined,
    operation: (session: SnmpSession, oids: string[], signal: AbortSignal | undefined) => Promise<WireVarbind[]>,
  ): Promise<VarbindsResult> {
    const oids = request.oids.map((oid) => this.mib.toNumeric(oid));
    const started = performance.now();
    const spec = await this.sessionTarget(request, false);
    const varbinds = await this.withSession(spec, (session) => operation(session, oids, signal));
    return { varbinds: varbinds.map((vb) => varbindToJson(vb, this.mib)), elapsedMs: elapsedMs(started) };
  }

  private async sessionTarget(request: ManyTargetsRequest, backwardsGetNexts: boolean): Promise<SessionTarget> {
    const one = { ...request, host: oneHost(request) };
    const target = this.profiles.targetOf(one);
    const resolved: ResolvedTarget = await this.resolver.resolve(one.host, { subsystem: 'snmp', port: one.port });
    this.profiles.checkAddresses(one, resolved.addresses);
    return { target, address: resolved.address, family: resolved.family, backwardsGetNexts };
  }

  private async withSession<T>(spec: SessionTarget, use: (session: SnmpSession) => Promise<T>): Promise<T> {
    const lease = this.pool.acquire(spec);
    try {
      const result = await use(lease.session);
      lease.release(true);
      return result;
    } catch (err) {
      lease.release(isSessionHealthyAfter(err));
      throw err;
    }
  }

  private toWire(given: SnmpSetVarbind, position: number): WireVarbind {
    const vb = typedSetVarbind(given, this.mib.toNumeric(given.oid), this.mib, position);
    const { oid, value } = vb;
    const type = TYPE_TAGS[vb.type];
    switch (vb.type) {
      case 'OctetString':
        return { oid, type, value: typeof value === 'string' ? Buffer.from(value, 'utf8') : Buffer.from((value as { hex: string }).hex, 'hex') };
      case 'Opaque':
        return { oid, type, value: Buffer.from((value as { hex: string }).hex, 'hex') };
      case 'ObjectIdentifier':
        return { oid, type, value: this.mib.toNumeric(value as string) };
      case 'Counter64':
        return { oid, type, value: decimalToCounter64(value as string) };
      default:
        return { oid, type, value };
    }
  }
}

/** `promise`, or CANCELLED as soon as `signal` aborts (the promise itself goes on). */
function cancellable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  return untilAborted(promise, signal).catch((err: unknown) => {
    throw signal.aborted ? new AdapterError('CANCELLED', 'snmp', 'the request was cancelled by the client') : err;
  });
}

/** Retries a GETBULK with half the repetitions while the agent answers tooBig (RFC 3416 §4.2.3). */
async function withFewerRepetitionsOnTooBig<T>(maxRepetitions: number, send: (reps: number) => Promise<T>): Promise<T> {
  let reps = maxRepetitions;
  for (;;) {
    try {
      return await send(reps);
    } catch (err) {
      if (!(err instanceof AdapterError && isStatus(err, 'tooBig')) || reps <= 1) throw err;
      reps = Math.max(1, Math.floor(reps / 2));
    }
  }
}

function flattenBulk(rows: (WireVarbind | WireVarbind[])[], nonRepeaters: number): WireVarbind[] {
  const singles = rows.slice(0, nonRepeaters) as WireVarbind[];
  const columns = rows.slice(nonRepeaters).map((row) => (Array.isArray(row) ? row : [row]));
  // Back to the agent's order: row by row, one varbind per repeater.
  const interleaved: WireVarbind[] = [];
  const depth = Math.max(0, ...columns.map((c) => c.length));
  for (let r = 0; r < depth; r++) for (const column of columns) if (column[r]) interleaved.push(column[r]);
  return [...singles, ...interleaved];
}

/**
 * A session stays pooled after an agent error-status or a cancellation; after a timeout, an auth report
 * (a rebooted v3 engine has new boots and time) or garbage, the next request starts afresh.
 */
function isSessionHealthyAfter(err: unknown): boolean {
  return err instanceof AdapterError && ['AGENT_ERROR', 'CANCELLED', 'INVALID_INPUT'].includes(err.code);
}

function isStatus(err: AdapterError, status: keyof typeof ERROR_STATUS): boolean {
  return (err.extensions.snmp as { status?: string } | undefined)?.status === status;
}

function isException(type: number): boolean {
  return type === TYPE_TAGS.NoSuchObject || type === TYPE_TAGS.NoSuchInstance || type === TYPE_TAGS.EndOfMibView;
}

/** The one agent of a request that names one (`host`); many targets go through forEachTarget. */
function oneHost(request: ManyTargetsRequest): string {
  if (request.host === undefined) {
    throw new AdapterError('VALIDATION', 'snmp', 'this operation takes one agent: give host', {}, { fieldIssues: [{ path: ['host'], message: 'is required' }] });
  }
  return request.host;
}

const CREDENTIAL_FIELDS = ['credentials', 'version', 'community', 'user', 'context'] as const;

/**
 * Each target of a many-target request as a request of its own: the request's fields are the defaults; a
 * target that names any credential field brings its own credentials and inherits none of the request's.
 */
export function expandTargets<R extends ManyTargetsRequest>(request: R): OneTarget<R>[] {
  const { targets, concurrency: _concurrency, host, ...shared } = request;
  if (targets === undefined) {
    if (host === undefined) throw new AdapterError('VALIDATION', 'snmp', 'give host or targets', {}, { fieldIssues: [{ path: ['host'], message: 'give host (one agent) or targets (many)' }] });
    return [{ ...shared, host } as unknown as OneTarget<R>];
  }
  const issues: { path: (string | number)[]; message: string }[] = [];
  const ones = targets.map((entry, index) => {
    const ownCredentials = CREDENTIAL_FIELDS.some((field) => entry[field] !== undefined);
    const base: Record<string, unknown> = { ...shared };
    if (ownCredentials) for (const field of CREDENTIAL_FIELDS) delete base[field];
    for (const [key, value] of Object.entries(entry)) if (value !== undefined) base[key] = value;
    if (base.credentials === undefined && base.version === '3' && base.user === undefined) {
      issues.push({ path: ['targets', index, 'user'], message: 'is required for version 3' });
    }
    return base as unknown as OneTarget<R>;
  });
  if (issues.length > 0) {
    throw new AdapterError('VALIDATION', 'snmp', issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '), {}, { fieldIssues: issues });
  }
  return ones;
}
