// jsforce answers every 401 by refreshing the session and replaying the request, with no limit: an
// API that refuses the fresh token too (user without API access, IP restrictions, a session locked
// to another IP) gets refresh + replay in a tight loop — thousands of requests a second, the
// token endpoint hammered — and revloop's maxRetries never sees it (http-api.js isSessionExpired
// admits the loop). Its replay also goes to the request's absolute URL on the old instance, not to
// the instance_url the token endpoint just returned.
// This guard wraps the connection's refresh delegate. Each client request is one "turn"
// (AsyncLocalStorage, so concurrent requests are told apart): its first 401 refreshes (or waits
// for a refresh under way) and then stops jsforce's replay with `renewed`, so the client sends the
// request again itself, from its relative URL, i.e. to the current instance URL; a 401 after that
// is `refused` (the fresh token was refused too) and nothing is refreshed again.
import { AsyncLocalStorage } from 'node:async_hooks';

interface Delegate {
  refresh(since: number): Promise<void>;
  waitRefresh(): Promise<void>;
}
interface GuardedConnection {
  instanceUrl: string;
  _refreshDelegate?: Delegate;
}

/** thrown through jsforce to the client: send again (`renewed`) or give up (`refused`) */
export class SessionSignal extends Error {
  constructor(
    readonly outcome: 'renewed' | 'refused',
    /** the instance the request had gone to */
    readonly instanceUrl: string,
  ) {
    super(outcome === 'renewed' ? 'salesforce session renewed: send the request again' : 'salesforce refused a freshly refreshed session');
    this.name = 'SessionSignal';
  }
}

export const isSessionSignal = (e: unknown): e is SessionSignal => e instanceof SessionSignal;

interface Turn {
  /** successful refreshes (or refreshes waited for) in this client request */
  refreshes: number;
  /** the instance URL when the current send started */
  sentTo: string;
}

export interface SessionTurn {
  /** one send of the request (`fn` calls conn.request) */
  send<T>(fn: () => Promise<T>): Promise<T>;
}

export interface SessionGuard {
  /** a new client request: it may refresh the session once */
  turn(): SessionTurn;
}

export function guardSession(conn: GuardedConnection): SessionGuard {
  const turns = new AsyncLocalStorage<Turn>();
  const delegate = conn._refreshDelegate;
  if (delegate) {
    const refresh = delegate.refresh.bind(delegate);
    const waitRefresh = delegate.waitRefresh.bind(delegate);
    delegate.refresh = async (since) => {
      const turn = turns.getStore();
      // every request goes through the client, so there is always a turn; without one, jsforce's own behaviour
      if (!turn) return refresh(since);
      if (turn.refreshes > 0) throw new SessionSignal('refused', turn.sentTo);
      // a failed refresh throws here ("Unable to refresh session due to: …") and is classified by the client
      await refresh(since);
      turn.refreshes++;
      throw new SessionSignal('renewed', turn.sentTo);
    };
    // a request started while another one refreshes waits, then jsforce sends it to its old absolute URL
    delegate.waitRefresh = async () => {
      await waitRefresh();
      const turn = turns.getStore();
      if (turn && turn.refreshes === 0 && conn.instanceUrl !== turn.sentTo) {
        turn.refreshes++;
        throw new SessionSignal('renewed', turn.sentTo);
      }
    };
  }
  return {
    turn() {
      const turn: Turn = { refreshes: 0, sentTo: conn.instanceUrl };
      return {
        send(fn) {
          turn.sentTo = conn.instanceUrl;
          return turns.run(turn, fn);
        },
      };
    },
  };
}
