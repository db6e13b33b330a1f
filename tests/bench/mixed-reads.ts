/**
 * A mixed read load, driven by autocannon at a fixed overall rate (shared by
 * `npm run bench`): the project office's inbox, the blocker list, one matter
 * (a random one of those given), the battle map's first page and a deep page,
 * in turn, over HTTP with a bearer token, for `seconds`. Reports the latency
 * distribution autocannon measured and every error or non-2xx answer.
 */
import { machine } from './distribution';

/** The part of autocannon's API used here (the package ships no types). */
interface AutocannonRequest {
  method?: string;
  path?: string;
  setupRequest?: (req: { path: string; headers?: Record<string, string> }) => { path: string; headers?: Record<string, string> };
}
interface AutocannonResult {
  latency: { p50: number; p90: number; p97_5: number; p99: number; max: number; average: number };
  requests: { total: number; average: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  duration: number;
  statusCodeStats?: Record<string, { count: number }>;
}
const autocannon = require('autocannon') as (o: {
  url: string;
  connections: number;
  overallRate: number;
  duration: number;
  headers: Record<string, string>;
  requests: AutocannonRequest[];
}) => Promise<AutocannonResult>;

export interface MixedReadsResult {
  seconds: number;
  targetRate: number;
  /** Requests answered per second, as autocannon counted them. */
  rate: number;
  requests: number;
  latencyMs: { p50: number; p90: number; p97_5: number; p99: number; max: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodes: Record<string, number>;
  paths: string[];
  machine: ReturnType<typeof machine>;
}

export async function mixedReads(o: { api: string; token: string; blockerIds: string[]; seconds: number; rate: number; connections?: number }): Promise<MixedReadsResult> {
  const base = new URL(o.api);
  const prefix = base.pathname.replace(/\/$/, '');
  const fixed = [
    `${prefix}/notices?page=1&pageSize=20`,
    `${prefix}/blockers?status=open&page=1&pageSize=20`,
    null, // one matter, chosen per request
    `${prefix}/battle-map?page=1&pageSize=50`,
    `${prefix}/battle-map?page=300&pageSize=50`,
  ];
  let k = 0;
  const pick = () => {
    const path = fixed[k++ % fixed.length];
    return path ?? `${prefix}/blockers/${o.blockerIds[Math.floor(Math.random() * o.blockerIds.length)]}`;
  };
  const r = await autocannon({
    url: `${base.protocol}//${base.host}`,
    connections: o.connections ?? 20,
    overallRate: o.rate,
    duration: o.seconds,
    headers: { authorization: `Bearer ${o.token}` },
    requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: pick() }) }],
  });
  const statusCodes: Record<string, number> = {};
  for (const [code, s] of Object.entries(r.statusCodeStats ?? {})) statusCodes[code] = s.count;
  return {
    seconds: o.seconds,
    targetRate: o.rate,
    rate: Math.round(r.requests.average),
    requests: r.requests.total,
    latencyMs: { p50: r.latency.p50, p90: r.latency.p90, p97_5: r.latency.p97_5, p99: r.latency.p99, max: r.latency.max },
    errors: r.errors,
    timeouts: r.timeouts,
    non2xx: r.non2xx,
    statusCodes,
    paths: fixed.map((p) => p ?? `${prefix}/blockers/<one of ${o.blockerIds.length}>`),
    machine: machine(),
  };
}
