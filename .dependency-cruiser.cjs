/**
 * Import boundaries (decision 0007). `npm run lint` fails on any of these; tests are composition
 * roots too and may wire adapters, but product code may not cross these lines.
 */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'Domain code imports no adapters, AWS SDK, infra or application layer: it is the rules alone.',
      severity: 'error',
      from: { path: '^services/[^/]+/domain/' },
      to: { path: ['/adapters/', '^infra/', '@aws-sdk/', '@middy/', '@aws-lambda-powertools/', '/app/', '/handlers/'] },
    },
    {
      name: 'kernel-is-pure',
      comment: 'The shared kernel outside shared/adapters and shared/http imports no adapters, AWS SDK or infra.',
      severity: 'error',
      from: { path: '^shared/', pathNot: ['^shared/(adapters|http|aws)/', '\\.test\\.ts$'] },
      to: { path: ['^shared/(adapters|aws)/', '^infra/', '@aws-sdk/', '^services/'] },
    },
    {
      name: 'kernel-rules-have-no-edge-libraries',
      comment: 'The kernel\'s rules (cases, deadlines, calendar, review, permissions, …) do not log, trace or know middy: that is the edge\'s job.',
      severity: 'error',
      from: { path: '^shared/(cases|deadlines|calendar|alerts|evidence|pii)/|^shared/(review|agencies|permissions|money|inbox|audit|ids|identity|errors)\\.ts$', pathNot: '\\.test\\.ts$' },
      to: { path: ['@middy/', '@aws-lambda-powertools/', '^shared/(log|observability)\\.ts$'] },
    },
    {
      name: 'use-cases-use-ports',
      comment: 'Use cases reach storage and AWS only through ports; adapters are wired in adapters/deps.ts.',
      severity: 'error',
      from: { path: '^services/[^/]+/app/', pathNot: '\\.test\\.ts$' },
      to: { path: ['/adapters/', '@aws-sdk/', '^infra/', '^shared/aws/'] },
    },
    {
      name: 'services-meet-in-the-kernel',
      comment: 'A service imports another service only through the shared kernel.',
      severity: 'error',
      from: { path: '^services/([^/]+)/', pathNot: '\\.test\\.ts$' },
      to: { path: '^services/', pathNot: ['^services/$1/', '^services/all-routes\\.ts$'] },
    },
    {
      name: 'product-never-imports-the-local-cloud',
      comment: 'Nothing deployed depends on the local stand-ins (infra/local is for npm start and tests).',
      severity: 'error',
      from: { path: '^(services|shared|events|infra/(app|config)\\.ts|infra/(stacks|constructs)/)', pathNot: '\\.test\\.ts$' },
      to: { path: '^infra/local/' },
    },
    {
      name: 'console-speaks-http-only',
      comment: 'The console reaches the system through the public API alone: from the services and the kernel it takes types (the route specs), never code.',
      severity: 'error',
      from: { path: '^console/src/' },
      to: { path: '^(services|shared|infra|events)/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: { pathNot: '\\.test\\.ts$' },
      // A type-only cycle (a module and its API types) costs nothing at run time.
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
  ],
  options: {
    parser: 'swc',
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|cdk\\.out|\\.local)/' },
    moduleSystems: ['es6'],
  },
};
