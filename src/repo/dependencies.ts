/**
 * Chart dependencies (Helm's `pkg/downloader/manager.go` and `internal/resolver`): where each
 * Chart.yaml dependency comes from, which version it resolves to, fetching the archives, and
 * vendoring them under `charts/`.
 *
 * A dependency's `repository` is one of: empty (the chart is already in `charts/<name>`),
 * `file://PATH` (a chart directory, relative to the chart, packaged into `charts/`), `@name` or
 * `alias:name` (a configured repository), or an `http(s)://` URL (the configured repository with
 * that URL, or else the URL's index, fetched for this run only). Archives from repositories are
 * fetched with the getters' limits and checked against the index digest while they stream, then
 * kept in the content cache; every archive is also loaded as a chart and must hold the name and
 * version asked for. Nothing in `charts/` changes until every archive is in hand.
 *
 * Each step has its own module, in run order: `dependencies-sources.ts` (where each dependency
 * comes from), `dependencies-versions.ts` (which version it resolves to), `dependencies-fetch.ts`
 * (its archive) and `dependencies-vendor.ts` (writing `charts/`). This module is their public face.
 */

export { fetchLocked, type PlannedArchive } from './dependencies-fetch.js';
export {
  type DependencyContext,
  type DependencySource,
  localPath,
  resolveSources,
  sameUrl,
} from './dependencies-sources.js';
export { type VendorResult, vendorArchives } from './dependencies-vendor.js';
export { assertDependencyRange, IndexSet, lockVersions } from './dependencies-versions.js';
