// A connector wrapped so that the suite sees what its streams deliver: deletes by tombstone,
// records mapped as deleted (archived flag), links, and each batch's updatedAt values.
import type { ConnectorDefinition, StreamDefinition, MapResult, UnifiedRecord } from '@revloop/core';

export interface LinkSeen {
  stream: string;
  from: string;
  link: string;
  target: string;
}

export interface Observed {
  tombstones: Map<string, Set<string>>;
  archived: Map<string, Set<string>>;
  links: LinkSeen[];
  /** per stream, per batch: the updatedAt of each mapped record, in order */
  batchTimes: Map<string, (number | undefined)[][]>;
}

const add = (m: Map<string, Set<string>>, k: string, v: string) => {
  let set = m.get(k);
  if (!set) m.set(k, (set = new Set()));
  set.add(v);
};

export function instrument(connector: ConnectorDefinition): { connector: ConnectorDefinition; observed: Observed } {
  const observed: Observed = { tombstones: new Map(), archived: new Map(), links: [], batchTimes: new Map() };
  const streams = connector.streams.map((stream): StreamDefinition => {
    let current: (number | undefined)[] | undefined;
    return {
      ...stream,
      async *read(ctx, input) {
        for await (const batch of stream.read(ctx, input)) {
          for (const id of batch.deletes ?? []) add(observed.tombstones, stream.name, id);
          current = [];
          const all = observed.batchTimes.get(stream.name) ?? [];
          all.push(current);
          observed.batchTimes.set(stream.name, all);
          yield batch;
        }
      },
      map(record, ctx) {
        // a map may return one record, several (EmittedRecords) or a promise of either
        const observe = (result: MapResult): MapResult => {
          const own = Array.isArray(result) ? result.filter((e) => e?.entity === stream.entity).map((e) => e.record) : [result];
          for (const mapped of own) {
            if (!mapped || typeof mapped !== 'object') continue;
            if (mapped.deleted) add(observed.archived, stream.name, mapped.systemId);
            for (const [link, target] of Object.entries(mapped.links ?? {})) if (target) observed.links.push({ stream: stream.name, from: mapped.systemId, link, target });
            current?.push(mapped.updatedAt ?? undefined);
          }
          return result;
        };
        const result = stream.map(record, ctx);
        return result && typeof (result as Promise<MapResult>).then === 'function' ? (result as Promise<MapResult>).then(observe) : observe(result as MapResult);
      },
    };
  });
  return { connector: { ...connector, streams }, observed };
}

/** true when some batch of the stream ended on the updatedAt the next batch starts with */
export function tiedAcrossBatches(batches: (number | undefined)[][]): boolean {
  const nonEmpty = batches.filter((b) => b.length);
  for (let i = 1; i < nonEmpty.length; i++) {
    const last = nonEmpty[i - 1]!.at(-1);
    if (last !== undefined && last === nonEmpty[i]![0]) return true;
  }
  return false;
}
