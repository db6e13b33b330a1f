import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { Client, Connection, defaultGrpcRetryOptions, makeGrpcRetryInterceptor } from '@temporalio/client';
import { DUBAN_CONFIG, DubanConfig } from '../../config/src';
import { ConfigModule } from '../../config/src/config.module';

/**
 * The Temporal client as a DI provider. The connection is lazy, so the API
 * starts (and reports Temporal as down on /api/health) while Temporal is away.
 */
@Global()
@Module({
  imports: [ConfigModule],
  providers: [
    {
      provide: Client,
      inject: [DUBAN_CONFIG],
      useFactory: (cfg: DubanConfig) =>
        new Client({
          // Fewer gRPC retries than the SDK's ten (~22 s when the server is gone): a blip is still ridden out (~0.6 s),
          // an outage is reported at once as a 503 (libs/temporal/src/calls.ts) and the client retries with its key.
          connection: Connection.lazy({ address: cfg.TEMPORAL_ADDRESS, interceptors: [makeGrpcRetryInterceptor(defaultGrpcRetryOptions({ maxAttempts: 4 }))] }),
          namespace: cfg.TEMPORAL_NAMESPACE,
        }),
    },
  ],
  exports: [Client],
})
export class TemporalModule implements OnApplicationShutdown {
  constructor(@Inject(Client) private readonly client: Client) {}

  async onApplicationShutdown(): Promise<void> {
    await this.client.connection.close();
  }
}

/** True when the Temporal frontend answers within `timeoutMs`. */
export async function temporalIsUp(client: Client, timeoutMs = 2000): Promise<boolean> {
  try {
    await client.connection.withDeadline(Date.now() + timeoutMs, () => client.workflowService.getSystemInfo({}));
    return true;
  } catch {
    return false;
  }
}
