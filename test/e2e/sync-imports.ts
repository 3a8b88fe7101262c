export { syncStream, syncAll, readCheckpoint, resetCheckpoint, checkConnectors, statusReport } from '@revloop/core';
export { entityIdFor as entityIdForTest } from '@revloop/store';
