/**
 * Child process: dynalite alone, so the jobs part (bench/jobs.ts) runs its functions on one core
 * and DynamoDB on the other, as the service and Lambda are apart in AWS.
 */
import { close, startDynamo } from '#infra/local/services.ts';
import { serve } from './lib/rpc.ts';

let dynamo: Awaited<ReturnType<typeof startDynamo>> | undefined;

serve(
  async () => {
    dynamo = await startDynamo(0);
    return { url: dynamo.url };
  },
  {},
  async () => {
    if (dynamo) await close(dynamo.server);
  },
);
