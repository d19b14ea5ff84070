import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Each area registers its own metrics through this one small interface, given to it when it is built
 * (as blackbox_exporter's probers register theirs in the registry they receive). Areas never see
 * prom-client, the registry, or HTTP.
 */
export interface MetricsRegistrar {
  counter<L extends string>(spec: MetricSpec<L>): CounterMetric<L>;
  histogram<L extends string>(spec: MetricSpec<L> & { buckets: number[] }): HistogramMetric<L>;
  /** A counter or gauge whose samples are read at scrape time from state the area keeps anyway. */
  observe<L extends string>(spec: MetricSpec<L> & { type: 'counter' | 'gauge'; read: () => Sample<L>[] }): void;
}

export interface MetricSpec<L extends string> {
  name: string;
  help: string;
  labels: readonly L[];
}

export type Labels<L extends string> = Record<L, string>;

export interface Sample<L extends string> {
  labels: Labels<L>;
  value: number;
}

export interface CounterMetric<L extends string> {
  inc(labels: Labels<L>, value?: number): void;
}

export interface HistogramMetric<L extends string> {
  observe(labels: Labels<L>, value: number): void;
}

/** One sample without labels, for observe(). */
export function single(value: number): Sample<never>[] {
  return [{ labels: {} as Labels<never>, value }];
}

/** The registrar backed by a prom-client registry of its own (not the global one), so tests can build many apps. */
export class PrometheusMetrics implements MetricsRegistrar {
  private readonly registry = new Registry();

  constructor(options: { processMetrics?: boolean } = {}) {
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  exposition(): Promise<string> {
    return this.registry.metrics();
  }

  counter<L extends string>({ name, help, labels }: MetricSpec<L>): CounterMetric<L> {
    const counter = new Counter<L>({ name, help, labelNames: labels, registers: [this.registry] });
    return { inc: (values, value = 1) => counter.inc(values, value) };
  }

  histogram<L extends string>({ name, help, labels, buckets }: MetricSpec<L> & { buckets: number[] }): HistogramMetric<L> {
    const histogram = new Histogram<L>({ name, help, labelNames: labels, buckets, registers: [this.registry] });
    return { observe: (values, value) => histogram.observe(values, value) };
  }

  observe<L extends string>({ name, help, labels, type, read }: MetricSpec<L> & { type: 'counter' | 'gauge'; read: () => Sample<L>[] }): void {
    const collect = function (this: Gauge<L> | Counter<L>) {
      this.reset();
      for (const sample of read()) {
        if (this instanceof Gauge) this.set(sample.labels, sample.value);
        else this.inc(sample.labels, sample.value);
      }
    };
    const options = { name, help, labelNames: labels, registers: [this.registry], collect };
    if (type === 'gauge') new Gauge<L>(options);
    else new Counter<L>(options);
  }
}
