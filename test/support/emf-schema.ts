/**
 * The structure AWS specifies for CloudWatch Embedded Metric Format ("Specification: Embedded metric
 * format", the JSON schema on that page), with its limits: Namespace 1-255 characters, at most 30
 * dimensions per set, 100 metrics per directive, Units from CloudWatch's list. Values must be present
 * at the root: checked separately, since JSON Schema cannot follow a name to a member.
 */
export const EMF_SCHEMA = {
  type: 'object',
  required: ['_aws'],
  properties: {
    _aws: {
      type: 'object',
      required: ['Timestamp', 'CloudWatchMetrics'],
      properties: {
        Timestamp: { type: 'integer', minimum: 0 },
        CloudWatchMetrics: {
          type: 'array',
          minItems: 1,
          items: {
            type: 'object',
            required: ['Namespace', 'Dimensions', 'Metrics'],
            properties: {
              Namespace: { type: 'string', minLength: 1, maxLength: 255 },
              Dimensions: {
                type: 'array',
                items: {
                  type: 'array',
                  maxItems: 30,
                  items: { type: 'string', minLength: 1, maxLength: 250 },
                },
              },
              Metrics: {
                type: 'array',
                maxItems: 100,
                items: {
                  type: 'object',
                  required: ['Name'],
                  properties: {
                    Name: { type: 'string', minLength: 1, maxLength: 1024 },
                    Unit: { enum: ['Count', 'Milliseconds', 'Seconds', 'Bytes', 'Percent', 'None'] },
                    StorageResolution: { enum: [1, 60] },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
} as const;

type Document = {
  _aws: { CloudWatchMetrics: { Dimensions: string[][]; Metrics: { Name: string }[] }[] };
} & Record<string, unknown>;

/** What the schema cannot say: each named dimension is a string member, each metric a number (array). */
export function membersProblems(document: Document): string[] {
  const problems: string[] = [];
  for (const directive of document._aws.CloudWatchMetrics) {
    for (const name of directive.Dimensions.flat()) {
      if (typeof document[name] !== 'string') problems.push(`dimension ${name} is not a string member`);
    }
    for (const { Name } of directive.Metrics) {
      const value = document[Name];
      const ok =
        (typeof value === 'number' && Number.isFinite(value)) ||
        (Array.isArray(value) && value.length <= 100 && value.every((v) => Number.isFinite(v)));
      if (!ok) problems.push(`metric ${Name} has no numeric value`);
    }
  }
  return problems;
}
