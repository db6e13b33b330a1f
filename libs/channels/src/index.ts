export * from './channel';
export { adapterFor, CHANNEL_ADAPTERS } from './adapters';
export { PROVIDER_TIMEOUT_MS } from './http';
export * from './signatures';
export { markdownText, plainText } from './text';
