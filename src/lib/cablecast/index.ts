export { createCablecastClient } from './client.js';
export type { CablecastClient, CablecastClientOptions, ListShowsFilter, NewFileUpload } from './client.js';
export { findShowFieldId, withCustomField } from './custom-fields.js';
export type { ShowFieldCatalog } from './custom-fields.js';
export { CablecastAuthError, CablecastHttpError, CablecastNetworkError, CablecastResponseError } from './errors.js';
export { FileUploadState } from './schemas.js';
export type { CustomFieldValue, FileStore, FileUpload, Location, Reel, Show, Vod, VodTransaction } from './schemas.js';
export { runningTimeSeconds } from './show-detail.js';
export type { ShowDetail, ShowInclude } from './show-detail.js';
