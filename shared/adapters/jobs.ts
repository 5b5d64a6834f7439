import type { LambdaClient } from '@aws-sdk/client-lambda';
import { clientOf, type LazyClient } from './lazy-client.ts';

/** Starts a background job: an asynchronous Lambda invocation (returns at once; the job reports its own progress). */
export class JobStarter {
  constructor(
    private readonly client: LambdaClient | LazyClient<LambdaClient>,
    private readonly functionName: string | undefined,
    private readonly setting = 'EXPORT_FUNCTION_NAME',
  ) {}

  async start(payload: object): Promise<void> {
    if (!this.functionName) throw new Error(`${this.setting} is not set for this function`);
    const [client, { InvokeCommand }] = await Promise.all([clientOf(this.client), import('@aws-sdk/client-lambda')]);
    await client.send(new InvokeCommand({ FunctionName: this.functionName, InvocationType: 'Event', Payload: Buffer.from(JSON.stringify(payload)) }));
  }
}
