// The V8 options production runs the gateway with: the Dockerfile's NODE_OPTIONS, also used by
// the production smoke test and by every gateway the bench starts, so they measure what runs.
//
// A heap cap. Without one V8 sizes the heap from the machine's memory (about 4 GB on 24 GiB) and
// lets garbage pile up between collections: an export of 100,000 customers from PostgreSQL grew
// RSS by 90-120 MB, all of it collectable. At 384 MB (4x the live heap with the caches full at
// the default CACHE_MAX_BYTES) the same exports grew it 17-47 MB at the same rows/s. Raise it
// with CACHE_MAX_BYTES and with the mirror (its window index: ~200 bytes per customer read).
export const PRODUCTION_NODE_OPTIONS = '--max-old-space-size=384';
