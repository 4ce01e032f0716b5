// The layering of src/, checked by `npm run lint` (depcruise). Arrows point down this list:
//   main, app -> transports (customers, health, metrics) -> customers -> cache -> pancake
//   -> common -> config, infra (leaf modules: one client each, no feature).
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      comment: 'No file takes part in an import cycle (folders included, through any path).',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'infra-is-a-leaf',
      comment: 'Clients (Redis, database) import no feature and nothing shared but config.',
      severity: 'error',
      from: { path: '^src/infra/' },
      to: { path: '^src/', pathNot: ['^src/infra/', '^src/config/'] },
    },
    {
      name: 'config-is-a-leaf',
      comment: 'The configuration knows nothing of what uses it.',
      severity: 'error',
      from: { path: '^src/config/' },
      to: { path: '^src/', pathNot: '^src/config/' },
    },
    {
      name: 'common-imports-no-feature',
      comment:
        'Cross-cutting code (errors, auth, context, transports plumbing) serves features, never the reverse.',
      severity: 'error',
      from: { path: '^src/common/' },
      to: {
        path: '^src/',
        pathNot: ['^src/common/', '^src/config/', '^src/infra/', '^src/metrics/'],
      },
    },
    {
      name: 'metrics-is-a-leaf',
      comment: 'Metric definitions import nothing of the app but config.',
      severity: 'error',
      from: { path: '^src/metrics/' },
      to: { path: '^src/', pathNot: ['^src/metrics/', '^src/config/', '^src/common/'] },
    },
    {
      name: 'pancake-below-features',
      comment: 'The only code that talks to Pancake uses no feature: not the cache, not customers.',
      severity: 'error',
      from: { path: '^src/pancake/' },
      to: { path: '^src/(customers|cache|health|mirror)/' },
    },
    {
      name: 'cache-below-customers',
      comment:
        'The read cache and response replay serve customers and know nothing of them or of Pancake.',
      severity: 'error',
      from: { path: '^src/cache/' },
      to: { path: '^src/(customers|pancake|health|mirror)/' },
    },
    {
      name: 'mirror-below-customers',
      comment:
        'The mirror serves the customers feature (reads, writes read back) and knows nothing of it: it speaks the Pancake model.',
      severity: 'error',
      from: { path: '^src/mirror/' },
      to: { path: '^src/(customers|cache|health|feed|products)/' },
    },
    {
      name: 'feed-reads-the-mirror',
      comment:
        'The change feed reads what the mirror records; of customers it uses only the shared Customer/Note shapes (models/, customer-view.ts), never its services; nothing below imports the feed.',
      severity: 'error',
      from: { path: '^src/feed/' },
      to: { path: '^src/(cache|health)/|^src/customers/(?!models/|customer-view\\.ts$)' },
    },
    {
      name: 'nothing-imports-the-feed',
      comment: 'The feed is a leaf feature: only the app module wires it.',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/feed/', '^src/app\\.module\\.ts$'] },
      to: { path: '^src/feed/' },
    },
    {
      name: 'webhooks-above-mirror',
      comment:
        'Webhooks act on what the mirror records (through its outbox port); the mirror and everything below know nothing of them.',
      severity: 'error',
      from: { path: '^src/(mirror|pancake|cache|common|config|infra|metrics|customers)/' },
      to: { path: '^src/webhooks/' },
    },
    {
      name: 'webhooks-imports-below',
      comment:
        'Webhooks may import mirror, pancake, common, config, infra and metrics, no other feature.',
      severity: 'error',
      from: { path: '^src/webhooks/' },
      to: {
        path: '^src/',
        pathNot: ['^src/webhooks/', '^src/(mirror|pancake|common|config|infra|metrics)/'],
      },
    },
    {
      name: 'products-over-the-mirror',
      comment:
        'Data products read the mirror; of the customers feature they use only its shared shapes (models, the view, note visibility, path docs), never its services.',
      severity: 'error',
      from: { path: '^src/products/' },
      to: {
        path: '^src/(customers|cache|health)/',
        pathNot:
          '^src/customers/(models/|customer-view\\.ts$|note-visibility\\.ts$|dto/path-params\\.ts$)',
      },
    },
    {
      name: 'products-are-a-top-layer',
      comment: 'Only the app module wires the data products; no feature depends on them.',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/products/', '^src/app\\.module\\.ts$'] },
      to: { path: '^src/products/' },
    },
    {
      name: 'dashboard-is-a-leaf',
      comment:
        'The /ui routes (src/dashboard) read the configuration only; only the app module wires them.',
      severity: 'error',
      from: { path: '^src/dashboard/' },
      to: { path: '^src/', pathNot: ['^src/dashboard/', '^src/config/'] },
    },
    {
      name: 'ui-speaks-through-the-clients',
      comment:
        'The dashboard (ui/) reaches the gateway over HTTP with the typed clients only: no server code.',
      severity: 'error',
      from: { path: '^ui/' },
      to: { path: '^(src|test|tools|bench)/' },
    },
    {
      name: 'ports-import-no-adapter',
      comment:
        'A port (the interface of a store, cache backend or limiter) never imports an implementation; wiring lives in *.providers.ts / *.module.ts.',
      severity: 'error',
      from: {
        path: '^src/.+/(?!memory-|redis-|in-process-|.+\\.providers?\\.ts$|.+\\.module\\.ts$)[^/]+\\.ts$',
      },
      to: { path: '^src/(?!infra/).+/(memory-(?!budget)|redis-|in-process-)[^/]+\\.ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.spec\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
