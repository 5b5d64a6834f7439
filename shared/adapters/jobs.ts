import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';

/** Starts a background job: an asynchronous Lambda invocation (returns at once; the job reports its own progress). */
export class JobStarter {
  constructor(
    private readonly client: LambdaClient,
    private readonly functionName: string | undefined,
    private readonly setting = 'EXPORT_FUNCTION_NAME',
  ) {}

  async start(payload: object): Promise<void> {
    if (!this.functionName) throw new Error(`${this.setting} is not set for this function`);
    await this.client.send(new InvokeCommand({ FunctionName: this.functionName, InvocationType: 'Event', Payload: Buffer.from(JSON.stringify(payload)) }));
  }
}
