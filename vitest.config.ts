import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', 'cdk.out/**', '.local/**'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
