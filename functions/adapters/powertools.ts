/** Logger, metrics and tracer, created once per container and shared by every handler. */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';

const serviceName = process.env.POWERTOOLS_SERVICE_NAME ?? 'credit-platform';

export const logger = new Logger({ serviceName });
export const metrics = new Metrics({ serviceName, namespace: 'CreditPlatform' });
export const tracer = new Tracer({ serviceName, enabled: process.env.POWERTOOLS_TRACE_ENABLED !== 'false' });
