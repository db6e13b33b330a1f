import { CHANNEL_KINDS, type ChannelAdapter, type ChannelKind } from './channel';
import { webhookAdapter } from './adapters/webhook';

/**
 * The registry: one adapter per channel kind. The outbox asks adapterFor(kind)
 * and never knows a provider's details.
 */
export const CHANNEL_ADAPTERS: Partial<Record<ChannelKind, ChannelAdapter<any>>> = {
  webhook: webhookAdapter,
};

export function adapterFor(kind: ChannelKind): ChannelAdapter<any> {
  const a = CHANNEL_ADAPTERS[kind];
  if (!a) throw new Error(`No channel adapter for ${kind}; known: ${CHANNEL_KINDS.filter((k) => CHANNEL_ADAPTERS[k]).join(', ')}`);
  return a;
}
