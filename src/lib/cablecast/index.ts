export { createCablecastClient } from './client.js';
export type { CablecastClient, CablecastClientOptions, ListShowsFilter, NewFileUpload, TextFieldWrite } from './client.js';
export { assertTextField, customFieldEntry, customFieldText, fieldTarget, findShowFieldId } from './custom-fields.js';
export type { ShowFieldCatalog } from './custom-fields.js';
export {
  CablecastAuthError,
  CablecastFieldTypeError,
  CablecastHttpError,
  CablecastNetworkError,
  CablecastRecordError,
  CablecastResponseError,
} from './errors.js';
export { FileUploadState } from './schemas.js';
export type { CustomFieldEntry, FileStore, FileUpload, Location, Reel, Show, Vod, VodTransaction } from './schemas.js';
export { isUnreadableShow, runningTimeSeconds } from './show-detail.js';
export type { ShowDetail, UnreadableShow } from './show-detail.js';
export { captionService } from './vod-captions.js';
export type { CaptionCheck, CaptionCheckOptions, CaptionService } from './vod-captions.js';
export { vodReadiness } from './vod-readiness.js';
export type { VodReadiness } from './vod-readiness.js';
export { clientOptionsFromSettings } from './from-config.js';
