import { temporal } from '@temporalio/proto';

/**
 * Histories are stored as protobuf's own JSON object form (toObject/fromObject,
 * 64-bit numbers as strings, bytes as base64), which round-trips exactly.
 * (The SDK's historyToJSON trips over two copies of protobufjs in this tree.)
 */
const History = temporal.api.history.v1.History;

export function historyToFile(history: temporal.api.history.v1.IHistory): string {
  return JSON.stringify(History.toObject(History.fromObject(history), { longs: String, enums: String, bytes: String }), null, 1);
}

export function historyFromFile(text: string): temporal.api.history.v1.History {
  return History.fromObject(JSON.parse(text));
}
