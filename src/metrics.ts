import { AggregatorRegistry, collectDefaultMetrics, Counter, Gauge, Histogram, Registry, type MetricObjectWithValues, type MetricValue } from 'prom-client';

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

/** One process's metrics as data, to be aggregated with other processes' (cluster workers). */
export type MetricsSnapshot = MetricObjectWithValues<MetricValue<string>>[];

/**
 * Several processes' metrics as one exposition: counters, histograms and most gauges summed (prom-client's
 * AggregatorRegistry and each metric's aggregator; process metrics such as the start time are not).
 */
export function aggregateMetrics(snapshots: MetricsSnapshot[]): Promise<string> {
  return AggregatorRegistry.aggregate(snapshots).metrics();
}

/** The registrar backed by a prom-client registry of its own (not the global one), so tests can build many apps. */
export class PrometheusMetrics implements MetricsRegistrar {
  private readonly registry = new Registry();
  private readonly source: (() => Promise<string>) | undefined;

  /**
   * `exposition`: where /metrics gets its text, when not from this process alone (a cluster worker asks
   * the primary for every process's metrics, aggregated).
   */
  constructor(options: { processMetrics?: boolean; exposition?: () => Promise<string> } = {}) {
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry });
    this.source = options.exposition;
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  exposition(): Promise<string> {
    return this.source ? this.source() : this.registry.metrics();
  }

  /** This process's metrics alone, as text. */
  local(): Promise<string> {
    return this.registry.metrics();
  }

  /** This process's metrics alone, as data. */
  snapshot(): Promise<MetricsSnapshot> {
    return this.registry.getMetricsAsJSON() as Promise<MetricsSnapshot>;
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
