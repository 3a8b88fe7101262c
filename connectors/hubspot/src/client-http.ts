// HubSpot's SDK sends its requests with node-fetch over node's http, not through ctx.http. Every
// request must go through revloop's agent (ctx.http.agentFor), whose connections go only to
// addresses the outbound policy allows, checked when each connection opens: a redirect node-fetch
// follows on its own (302 → http://169.254.169.254/) opens its connection through the same agent
// and is refused before it is made.
//
// The SDK's own `httpAgent` option does not do it in 13.5.0: it is applied by a configuration
// middleware, and the generated APIs run the configured middleware only when a call passes
// middleware of its own (`allMiddleware` starts empty). So the agent is set on each request by the
// generated module's HTTP library instead (`configuration.httpApi`, one per module, shared by its
// APIs), reached through the discovery objects (`sdk.crm.contacts…`), which the SDK builds lazily
// and again after setAccessToken. `client.apiRequest` takes no agent at all: it is replaced by the
// same request (the SDK's own Request builder) sent with the agent.
import { createRequire } from 'node:module';
import type { Agent } from 'node:http';
import type { Client } from '@hubspot/api-client';
import type { PluginContext } from '@revloop/core';

type ApiRequest = Client['apiRequest'];
type HttpOptions = NonNullable<Parameters<ApiRequest>[0]>;
/** what node-fetch takes as its agent: a function of the (legacy url.parse) URL it connects to */
type AgentOf = (url: { protocol?: string | null }) => Agent;

export function agentOf(ctx: Pick<PluginContext, 'http'>): AgentOf {
  return (url) => ctx.http.agentFor(url);
}

/** a generated module's configuration: its `httpApi` sends every request of the module's APIs */
interface ModuleConfiguration {
  httpApi: { send(request: { setAgent(agent: unknown): void }): unknown };
}
const guardedConfigurations = new WeakSet<object>();

function guardConfiguration(configuration: ModuleConfiguration, agent: AgentOf): void {
  if (guardedConfigurations.has(configuration)) return;
  guardedConfigurations.add(configuration);
  const library = configuration.httpApi;
  configuration.httpApi = {
    send(request) {
      request.setAgent(agent);
      return library.send(request);
    },
  };
}

const configurationOf = (value: object): ModuleConfiguration | undefined => {
  const configuration = (value as { api?: { configuration?: ModuleConfiguration } }).api?.configuration;
  return typeof configuration?.httpApi?.send === 'function' ? configuration : undefined;
};
const isDiscovery = (value: object) => /Discovery$/.test(value.constructor?.name ?? '');

/**
 * The client seen through the discovery objects: an API reached from it (sdk.crm.contacts.basicApi)
 * sends through the checking agent. Only the Client and the *Discovery objects are wrapped; an API
 * object is returned as it is, once its module's library sets the agent.
 */
export function guardedSdk(sdk: Client, ctx: Pick<PluginContext, 'http'>): Client {
  const agent = agentOf(ctx);
  const proxies = new WeakMap<object, object>();
  const wrap = <T extends object>(target: T): T => {
    let proxy = proxies.get(target);
    if (!proxy) {
      proxy = new Proxy(target, {
        get(t, prop) {
          // the target as receiver: the SDK's lazy getters keep their state on the real object
          const value: unknown = Reflect.get(t, prop, t);
          // a method runs with the proxy as `this`: the APIs it reaches (this.basicApi) are guarded too
          if (!value || typeof value !== 'object') return value;
          const configuration = configurationOf(value);
          if (configuration) {
            guardConfiguration(configuration, agent);
            return value;
          }
          return isDiscovery(value) ? wrap(value) : value;
        },
      });
      proxies.set(target, proxy);
    }
    return proxy as T;
  };
  guardApiRequest(sdk, agent);
  return wrap(sdk);
}

/** the SDK's own request builder and its node-fetch, loaded from the SDK's install (no copy of ours) */
interface SdkInternals {
  Request: new (config: Client['config'], opts: HttpOptions) => { getUrl(): URL; getSendData(): Record<string, unknown> };
  nodeFetch: (url: string, init: Record<string, unknown>) => ReturnType<ApiRequest>;
}
let internals: SdkInternals | undefined;
function sdkInternals(): SdkInternals {
  if (internals) return internals;
  const sdkRequire = createRequire(createRequire(import.meta.url).resolve('@hubspot/api-client'));
  const { Request } = sdkRequire('./src/services/http/Request') as Pick<SdkInternals, 'Request'>;
  return (internals = { Request, nodeFetch: sdkRequire('node-fetch') as SdkInternals['nodeFetch'] });
}

/** `sdk.apiRequest` as the SDK builds it (URL, auth, body), sent through the checking agent */
function guardApiRequest(sdk: Client, agent: AgentOf): void {
  sdk.apiRequest = (opts: HttpOptions = {}) => {
    const { Request, nodeFetch } = sdkInternals();
    const request = new Request(sdk.config, opts);
    return nodeFetch(request.getUrl().toString(), { ...request.getSendData(), agent });
  };
}
