import { createServer, type Server } from 'node:http';
import { WorkflowApiError, type WorkflowRunner } from './workflow-runner.ts';

const epochSeconds = (iso?: string) => (iso ? new Date(iso).getTime() / 1000 : undefined);

/**
 * The Step Functions API (JSON 1.0 protocol) on loopback, for the operations the
 * product calls; handlers reach it with the real @aws-sdk/client-sfn through
 * AWS_ENDPOINT_URL_SFN.
 */
export function sfnApi(runner: WorkflowRunner): Server {
  const operations: Record<string, (body: any) => unknown> = {
    StartExecution: (b) => {
      const input = b.input === undefined ? {} : JSON.parse(b.input);
      const record = runner.startExecution(input, b.name);
      return { executionArn: record.executionArn, startDate: epochSeconds(record.startDate) };
    },
    SendTaskSuccess: (b) => (runner.sendTaskSuccess(b.taskToken, JSON.parse(b.output ?? 'null')), {}),
    SendTaskFailure: (b) => (runner.sendTaskFailure(b.taskToken, b.error, b.cause), {}),
    SendTaskHeartbeat: (b) => (runner.sendTaskHeartbeat(b.taskToken), {}),
    DescribeExecution: (b) => {
      const r = runner.describeExecution(b.executionArn);
      return {
        executionArn: r.executionArn,
        stateMachineArn: r.executionArn.replace(':execution:', ':stateMachine:').replace(/:[^:]+$/, ''),
        name: r.name,
        status: r.status,
        startDate: epochSeconds(r.startDate),
        stopDate: epochSeconds(r.stopDate),
        input: JSON.stringify(r.input),
        output: r.output === undefined ? undefined : JSON.stringify(r.output),
        error: r.error,
        cause: r.cause,
      };
    },
  };

  return createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const reply = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' });
        res.end(JSON.stringify(body));
      };
      const operation = String(req.headers['x-amz-target'] ?? '').replace(/^AWSStepFunctions\./, '');
      const fn = operations[operation];
      if (!fn) return reply(400, { __type: 'UnknownOperationException', message: `not supported locally: ${operation}` });
      try {
        reply(200, fn(JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}')));
      } catch (e) {
        if (e instanceof WorkflowApiError) return reply(400, { __type: e.name, message: e.message });
        reply(400, { __type: 'InvalidInput', message: String(e) });
      }
    });
  });
}
