// The one place the Google Ads API version lives. google-ads-api 24.1.0 / google-ads-node 24.1.0
// speak v24; client.ts refuses to start when the installed library speaks another version.
export const GOOGLE_ADS_API_VERSION = 'v24' as const;

/** the gRPC trailer that carries an encoded GoogleAdsFailure */
export const FAILURE_TRAILER_KEY = `google.ads.googleads.${GOOGLE_ADS_API_VERSION}.errors.googleadsfailure-bin`;

/** fully-qualified gRPC service name, e.g. google.ads.googleads.v24.services.GoogleAdsService */
export function grpcServiceName(service: string): string {
  return `google.ads.googleads.${GOOGLE_ADS_API_VERSION}.services.${service}`;
}
