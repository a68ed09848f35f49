/**
 * The image catalog: references, pulls, the simulated registries, and how containers of the
 * catalog's images behave (see `types.ts` for the contract).
 */

export { createImageCatalog, IMAGE_CATALOG_ENTRIES, imageDigest, pullTimeMs } from './catalog.js';
export {
  DEFAULT_REGISTRY,
  DEFAULT_TAG,
  familiarName,
  parseImageReference,
  referenceError,
} from './reference.js';
export {
  type CatalogListing,
  listImages,
  type MetaAccess,
  type MetaReader,
  PUSHED_META,
  type PushedImage,
  pushedImages,
  pushImage,
} from './registry.js';
export type * from './types.js';
