import { Logger } from '@aws-lambda-powertools/logger';

/** Structured JSON logs (Powertools): one logger per container; request keys are appended per request. */
export const logger = new Logger({ serviceName: 'council-review' });
