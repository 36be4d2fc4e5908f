// Unit specs sit beside the code; end-to-end tests live under test/.
const transform = {
  '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.jest.json', diagnostics: false }],
};
const moduleNameMapper = {
  '^@fleetprune/(tflite|pruning|protocol|datasets|tfjs-runtime|firmware)$': '<rootDir>/libs/$1/src',
  '^@fleetprune/devices$': '<rootDir>/devices/src',
};
const common = { rootDir: __dirname, testEnvironment: 'node', transform, moduleNameMapper };

module.exports = {
  reporters: ['default', '<rootDir>/test/summary-reporter.js'],
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/{apps,libs,devices,bench,tools}/**/*.spec.ts'],
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
    },
  ],
};
