/** kubectl's wording for client-side failures that name a manifest, shared with the cluster. */

export { resourceMappingNotFoundMessage } from '../cluster/api/kinds/index.js';
