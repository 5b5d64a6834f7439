import type { Server } from 'node:http';
import { jsonProtocolServer, ServiceError, stringMember } from './json-protocol.ts';
import { MAX_PAYLOAD_BYTES, type WorkflowRunner } from './workflow-runner.ts';

const epochSeconds = (iso?: string) => (iso ? new Date(iso).getTime() / 1000 : undefined);

/** A JSON document passed as a string member (an execution's input, a task's output), checked as AWS checks it. */
function jsonString(text: string | undefined, code: string, what: string): any {
  if (text === undefined) return {};
  if (Buffer.byteLength(text) > MAX_PAYLOAD_BYTES) throw new ServiceError(code, `${what} is larger than ${MAX_PAYLOAD_BYTES} bytes`);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ServiceError(code, `${what} is not valid JSON: ${(e as Error).message}`);
  }
}

/**
 * The Step Functions API (JSON 1.0 protocol) on loopback, for the operations the
 * product calls; handlers reach it with the real @aws-sdk/client-sfn through
 * AWS_ENDPOINT_URL_SFN. Names, ARNs and sizes are checked as AWS checks them.
 */
export function sfnApi(runner: WorkflowRunner): Server {
  const arn = (b: Record<string, unknown>, key: string) => {
    const value = stringMember(b, key, { required: true })!;
    if (!/^arn:aws[\w-]*:states:[\w-]+:\d{12}:(stateMachine|execution):/.test(value)) throw new ServiceError('InvalidArn', `Invalid Arn: '${value}'`);
    return value;
  };
  const token = (b: Record<string, unknown>) => stringMember(b, 'taskToken', { required: true, max: 2048 })!;

  return jsonProtocolServer({
    targetPrefix: 'AWSStepFunctions',
    contentType: 'application/x-amz-json-1.0',
    // Far above any valid request (256 KiB of JSON, escaped), far below what would hurt.
    maxBodyBytes: 4 * 1024 * 1024,
    label: 'local Step Functions',
    operations: {
      StartExecution: (b) => {
        if (arn(b, 'stateMachineArn') !== runner.stateMachineArn)
          throw new ServiceError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${b['stateMachineArn']}'`);
        const name = stringMember(b, 'name');
        const input = jsonString(stringMember(b, 'input'), 'InvalidExecutionInput', 'Invalid State Machine Execution Input: the input');
        const record = runner.startExecution(input, ...(name === undefined ? [] : [name]));
        return { executionArn: record.executionArn, startDate: epochSeconds(record.startDate) };
      },
      SendTaskSuccess: (b) => {
        const taskToken = token(b);
        runner.sendTaskSuccess(taskToken, jsonString(stringMember(b, 'output', { required: true }), 'InvalidOutput', 'Invalid Output: the output'));
        return {};
      },
      SendTaskFailure: (b) => {
        const taskToken = token(b);
        runner.sendTaskFailure(taskToken, stringMember(b, 'error', { max: 256 }), stringMember(b, 'cause', { max: 32_768 }));
        return {};
      },
      SendTaskHeartbeat: (b) => (runner.sendTaskHeartbeat(token(b)), {}),
      StopExecution: (b) => {
        const r = runner.stopExecution(arn(b, 'executionArn'), stringMember(b, 'error', { max: 256 }), stringMember(b, 'cause', { max: 32_768 }));
        return { stopDate: epochSeconds(r.stopDate) };
      },
      RedriveExecution: (b) => {
        stringMember(b, 'clientToken', { max: 64 });
        return { redriveDate: epochSeconds(runner.redriveExecution(arn(b, 'executionArn')).redriveDate) };
      },
      DescribeExecution: (b) => {
        const r = runner.describeExecution(arn(b, 'executionArn'));
        return {
          ...runner.redriveStatus(r),
          redriveCount: r.redriveCount ?? 0,
          redriveDate: epochSeconds(r.redriveDate),
          executionArn: r.executionArn,
          stateMachineArn: runner.stateMachineArn,
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
    },
  });
}
