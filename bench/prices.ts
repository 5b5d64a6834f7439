/**
 * Section 5: prices and the cost model.
 *
 * PRICES ARE ASSUMPTIONS: AWS list prices for ap-northeast-1 (Tokyo) as we understand them
 * for 2026, on-demand, without free tiers, discounts or taxes. Check them against the AWS
 * price pages before quoting a figure. The exchange rate is an assumption too.
 */
export const PRICES = {
  region: 'ap-northeast-1',
  asOf: '2026 (assumed list prices)',
  jpyPerUsd: 150,
  lambda: {
    /** arm64 (HouseFunction uses ARM_64), per GB-second of duration. */
    perGbSecond: 0.0000133334,
    perMillionRequests: 0.2,
    /** HouseFunction's default memory. */
    memoryGb: 0.5,
  },
  /** HTTP API, first 300 million requests a month. */
  httpApiPerMillionRequests: 1.29,
  dynamodb: {
    /** On-demand, after the November 2024 price cut. */
    perMillionWriteUnits: 0.715,
    perMillionReadUnits: 0.1425,
    storagePerGbMonth: 0.285,
    /** Point-in-time recovery (enabled on the table), per GB-month of table size. */
    pitrPerGbMonth: 0.228,
  },
  /** Standard workflows bill every state transition. */
  stepFunctionsPerThousandTransitions: 0.025,
  /** Outbound mail, per message and recipient. */
  sesPerThousandEmails: 0.1,
  secretsManager: { perSecretMonth: 0.4, perTenThousandCalls: 0.05 },
  kms: {
    /** A customer managed key; each yearly rotation adds $1 a month for its first two rotations. */
    perKeyMonth: 1,
    perTenThousandRequests: 0.03,
  },
  cloudwatchLogs: { ingestionPerGb: 0.76, storagePerGbMonth: 0.033 },
  /** Active tracing on the functions and the state machine (after the free 100,000 traces a month). */
  xrayPerMillionTraces: 5,
  s3StandardPerGbMonth: 0.025,
} as const;

/** Bytes of CloudWatch Logs per Lambda invocation (START/END/REPORT lines and a JSON line or two): an assumption. */
const LOG_BYTES_PER_INVOCATION = 600;

export interface CaseUsage {
  httpRequests: number;
  lambdaInvocations: number;
  /** Handler milliseconds, each invocation rounded up to 1 ms. */
  lambdaBilledMs: number;
  readUnits: number;
  writeUnits: number;
  stateTransitions: number;
  emails: number;
  secretsManagerCalls: number;
  traces: number;
}

export interface CostLine {
  item: string;
  quantity: string;
  usd: number;
}

export function costOfCase(u: CaseUsage): { lines: CostLine[]; usd: number; jpy: number } {
  const p = PRICES;
  const lines: CostLine[] = [
    { item: 'Lambda requests', quantity: `${u.lambdaInvocations}`, usd: (u.lambdaInvocations / 1e6) * p.lambda.perMillionRequests },
    { item: 'Lambda duration (512 MB, arm64)', quantity: `${u.lambdaBilledMs} ms`, usd: (u.lambdaBilledMs / 1000) * p.lambda.memoryGb * p.lambda.perGbSecond },
    { item: 'API Gateway HTTP API', quantity: `${u.httpRequests} requests`, usd: (u.httpRequests / 1e6) * p.httpApiPerMillionRequests },
    { item: 'DynamoDB reads', quantity: `${u.readUnits} RRU`, usd: (u.readUnits / 1e6) * p.dynamodb.perMillionReadUnits },
    { item: 'DynamoDB writes (incl. index estimate)', quantity: `${u.writeUnits} WRU`, usd: (u.writeUnits / 1e6) * p.dynamodb.perMillionWriteUnits },
    { item: 'Step Functions transitions', quantity: `${u.stateTransitions}`, usd: (u.stateTransitions / 1000) * p.stepFunctionsPerThousandTransitions },
    { item: 'SES e-mails', quantity: `${u.emails}`, usd: (u.emails / 1000) * p.sesPerThousandEmails },
    { item: 'Secrets Manager calls', quantity: `${u.secretsManagerCalls}`, usd: (u.secretsManagerCalls / 10_000) * p.secretsManager.perTenThousandCalls },
    {
      item: 'CloudWatch Logs ingestion (assumed 600 B/invocation)',
      quantity: `${u.lambdaInvocations}`,
      usd: ((u.lambdaInvocations * LOG_BYTES_PER_INVOCATION) / 2 ** 30) * p.cloudwatchLogs.ingestionPerGb,
    },
    { item: 'X-Ray traces', quantity: `${u.traces}`, usd: (u.traces / 1e6) * p.xrayPerMillionTraces },
  ];
  const usd = lines.reduce((n, l) => n + l.usd, 0);
  return { lines, usd, jpy: usd * p.jpyPerUsd };
}

export interface IdleAssumptions {
  /** Table size (with indexes) the council keeps; PITR is billed on it too. */
  tableGb: number;
  /** Attachments kept in S3 (versioned). */
  attachmentsGb: number;
  /** The hourly voting-clock job: each run a cold start in an idle system. */
  jobRunsPerMonth: number;
  jobBilledMs: number;
  jobReadUnits: number;
}

/** What the deployment costs a month with no case moving: fixed resources and the scheduled job. */
export function idleMonth(a: IdleAssumptions): { lines: CostLine[]; usd: number; jpy: number } {
  const p = PRICES;
  const lines: CostLine[] = [
    { item: 'KMS customer managed key (table, bucket)', quantity: '1 key', usd: p.kms.perKeyMonth },
    { item: 'Secrets Manager secret (link signing key)', quantity: '1 secret', usd: p.secretsManager.perSecretMonth },
    { item: 'DynamoDB storage + PITR', quantity: `${a.tableGb} GB`, usd: a.tableGb * (p.dynamodb.storagePerGbMonth + p.dynamodb.pitrPerGbMonth) },
    { item: 'S3 attachments', quantity: `${a.attachmentsGb} GB`, usd: a.attachmentsGb * p.s3StandardPerGbMonth },
    {
      item: 'voting-clock job (Lambda, hourly, cold)',
      quantity: `${a.jobRunsPerMonth} × ${a.jobBilledMs} ms`,
      usd: a.jobRunsPerMonth * ((a.jobBilledMs / 1000) * p.lambda.memoryGb * p.lambda.perGbSecond + p.lambda.perMillionRequests / 1e6),
    },
    {
      item: 'voting-clock job (DynamoDB reads)',
      quantity: `${a.jobRunsPerMonth * a.jobReadUnits} RRU`,
      usd: ((a.jobRunsPerMonth * a.jobReadUnits) / 1e6) * p.dynamodb.perMillionReadUnits,
    },
    {
      item: 'CloudWatch Logs (job logs, storage negligible)',
      quantity: `${a.jobRunsPerMonth} invocations`,
      usd: ((a.jobRunsPerMonth * LOG_BYTES_PER_INVOCATION) / 2 ** 30) * p.cloudwatchLogs.ingestionPerGb,
    },
    { item: 'API Gateway, Step Functions, SES, X-Ray', quantity: 'pay per use', usd: 0 },
  ];
  const usd = lines.reduce((n, l) => n + l.usd, 0);
  return { lines, usd, jpy: usd * p.jpyPerUsd };
}
