export type SubsystemState = 'up' | 'down' | 'disabled' | 'starting';

export interface SubsystemStatus {
  state: SubsystemState;
  detail?: string;
}

/** What /readyz reports: each subsystem's state, set by main.ts as listeners open and close. */
export class Readiness {
  private readonly subsystems = new Map<string, SubsystemStatus>();

  set(name: string, state: SubsystemState, detail?: string): void {
    this.subsystems.set(name, detail ? { state, detail } : { state });
  }

  report(): { ready: boolean; subsystems: Record<string, SubsystemStatus> } {
    const subsystems = Object.fromEntries(this.subsystems);
    const ready = [...this.subsystems.values()].every((s) => s.state === 'up' || s.state === 'disabled');
    return { ready: ready && this.subsystems.size > 0, subsystems };
  }
}
