import { AdapterError } from '../errors.ts';

interface AgentState {
  inFlight: number;
  waiting: (() => void)[];
}

/**
 * At most `max` requests in flight to one agent (address and port) at once, whoever sends them: agents are
 * small CPUs. Callers wait their turn in order; a waiter whose signal aborts leaves the queue as CANCELLED.
 * Only agents with requests in flight or waiting are kept.
 */
export class AgentLimiter {
  private readonly agents = new Map<string, AgentState>();

  private readonly max: number;
  constructor(max: number) {
    this.max = max;
  }

  /** Requests in flight to `agent` now. */
  inFlight(agent: string): number {
    return this.agents.get(agent)?.inFlight ?? 0;
  }

  /**
   * The slot's release when one is free now, without waiting: a walk sends its next request in the same turn
   * as the reply that names it, before naming that reply's varbinds (they are then off the round trip's path).
   */
  tryAcquire(agent: string): (() => void) | undefined {
    const state = this.stateOf(agent);
    if (state.inFlight >= this.max || state.waiting.length > 0) return undefined;
    state.inFlight++;
    return this.releaser(agent, state);
  }

  /** Resolves with the slot's release (call it once the agent answered or the request timed out). */
  async acquire(agent: string, signal?: AbortSignal): Promise<() => void> {
    const state = this.stateOf(agent);
    if (state.inFlight >= this.max || state.waiting.length > 0) await this.wait(state, signal);
    else state.inFlight++;
    return this.releaser(agent, state);
  }

  private stateOf(agent: string): AgentState {
    let state = this.agents.get(agent);
    if (!state) this.agents.set(agent, (state = { inFlight: 0, waiting: [] }));
    return state;
  }

  private releaser(agent: string, state: AgentState): () => void {
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      const next = state.waiting.shift();
      if (next) return next(); // the slot passes on
      state.inFlight--;
      if (state.inFlight === 0 && this.agents.get(agent) === state) this.agents.delete(agent);
    };
  }

  private wait(state: AgentState, signal: AbortSignal | undefined): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const cancelled = () => new AdapterError('CANCELLED', 'snmp', 'the request was cancelled by the client');
      if (signal?.aborted) return reject(cancelled());
      const onAbort = () => {
        const at = state.waiting.indexOf(turn);
        if (at >= 0) state.waiting.splice(at, 1);
        reject(cancelled());
      };
      const turn = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      state.waiting.push(turn);
    });
  }
}
