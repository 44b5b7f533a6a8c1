import { type Dimensions, METRICS, type MetricName, type MetricUnit } from '../ports/metrics.js';
import { type MetricEvent, round } from './recorder.js';

/** CloudWatch namespace and the dimension on every metric of the service. */
export const DEFAULT_NAMESPACE = 'Pettracker';
export const DEFAULT_DIMENSIONS: Dimensions = { Service: 'pettracker' };

/*
 * CloudWatch Embedded Metric Format, as specified by AWS ("Specification: Embedded metric format"):
 * a JSON object whose `_aws` member lists, per directive, a Namespace, the dimension sets (names only)
 * and the metrics (Name, Unit); the values of both are members of the root object. Hence one root can
 * carry only one value per dimension name and one entry per metric name: records that disagree go on
 * another document. Limits from the same page: 100 metrics per directive, 30 dimensions per set,
 * 100 values in a metric's array.
 */
const MAX_METRICS = 100;
const MAX_DIMENSIONS = 30;
const MAX_VALUES = 100;

export interface EmfDirective {
  Namespace: string;
  Dimensions: string[][];
  Metrics: { Name: string; Unit: string }[];
}

export interface EmfDocument {
  _aws: { Timestamp: number; CloudWatchMetrics: EmfDirective[] };
  [member: string]: unknown;
}

/** One metric under one set of dimension values: counters hold one running sum, timings every value. */
interface MetricRecord {
  name: MetricName;
  unit: MetricUnit;
  dimensions: Dimensions;
  values: number[];
}

interface Draft {
  dimensions: Record<string, string>;
  metrics: Map<string, MetricRecord>;
}

export interface EmfOptions {
  namespace?: string;
  /** On every metric, beside each event's own. */
  dimensions?: Dimensions;
  timestamp: number;
  /** Searchable members that are not metrics (the request's fields). */
  properties?: Readonly<Record<string, string | number>>;
}

/** A request's events -> as few EMF documents as the format allows (one, unless records conflict). */
export function toEmfDocuments(events: readonly MetricEvent[], options: EmfOptions): EmfDocument[] {
  const namespace = options.namespace ?? DEFAULT_NAMESPACE;
  const drafts: Draft[] = [];
  for (const record of records(events, options.dimensions ?? DEFAULT_DIMENSIONS).flatMap(splitValues)) {
    if (Object.keys(record.dimensions).length > MAX_DIMENSIONS) continue;
    let draft = drafts.find((d) => fits(d, record));
    if (!draft) {
      draft = { dimensions: {}, metrics: new Map() };
      drafts.push(draft);
    }
    Object.assign(draft.dimensions, record.dimensions);
    draft.metrics.set(record.name, record);
  }
  return drafts.map((draft) => render(draft, namespace, options.timestamp, options.properties ?? {}));
}

/** Counters summed, timings kept one by one, both keyed by name and dimension values. */
function records(events: readonly MetricEvent[], defaults: Dimensions): MetricRecord[] {
  const byKey = new Map<string, MetricRecord>();
  for (const { kind, name, value, dimensions } of events) {
    const dims = { ...defaults, ...dimensions };
    const key = `${name}\u0000${JSON.stringify(Object.entries(dims).sort(([a], [b]) => a.localeCompare(b)))}`;
    let record = byKey.get(key);
    if (!record) {
      record = { name, unit: METRICS[name], dimensions: dims, values: [] };
      byKey.set(key, record);
    }
    const rounded = kind === 'timing' ? round(value) : value;
    if (kind === 'count' && record.values.length > 0) record.values[0] = (record.values[0] ?? 0) + rounded;
    else record.values.push(rounded);
  }
  return [...byKey.values()];
}

function fits(draft: Draft, record: MetricRecord): boolean {
  if (draft.metrics.has(record.name) || draft.metrics.size >= MAX_METRICS) return false;
  return Object.entries(record.dimensions).every(
    ([name, value]) => draft.dimensions[name] === undefined || draft.dimensions[name] === value,
  );
}

function splitValues(record: MetricRecord): MetricRecord[] {
  const parts: MetricRecord[] = [];
  for (let i = 0; i < record.values.length; i += MAX_VALUES) {
    parts.push({ ...record, values: record.values.slice(i, i + MAX_VALUES) });
  }
  return parts;
}

function render(
  draft: Draft,
  namespace: string,
  timestamp: number,
  properties: Readonly<Record<string, string | number>>,
): EmfDocument {
  // One directive per distinct dimension set, so each metric is published under exactly its own.
  const directives = new Map<string, EmfDirective>();
  // A property may not shadow the format's own member; dimensions and values win over properties.
  const { _aws: _reserved, ...extra } = properties;
  const members: Record<string, unknown> = { ...extra, ...draft.dimensions };
  for (const record of draft.metrics.values()) {
    const names = Object.keys(record.dimensions).sort();
    const key = names.join('\u0000');
    let directive = directives.get(key);
    if (!directive) {
      directive = { Namespace: namespace, Dimensions: [names], Metrics: [] };
      directives.set(key, directive);
    }
    directive.Metrics.push({ Name: record.name, Unit: record.unit });
    members[record.name] = record.values.length === 1 ? record.values[0] : record.values;
  }
  return {
    _aws: { Timestamp: timestamp, CloudWatchMetrics: [...directives.values()] },
    ...members,
  };
}
