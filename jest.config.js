// Unit specs sit beside the code; end-to-end tests live under test/.
const transform = {
  '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', isolatedModules: true, diagnostics: false }],
};
const moduleNameMapper = {
  '^@fleetprune/(tflite|pruning|protocol|datasets|tfjs-runtime)$': '<rootDir>/libs/$1/src',
  '^@fleetprune/devices$': '<rootDir>/devices/src',
};
const common = { rootDir: __dirname, testEnvironment: 'node', transform, moduleNameMapper };

module.exports = {
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/{apps,libs,devices}/**/*.spec.ts'],
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
    },
  ],
};
