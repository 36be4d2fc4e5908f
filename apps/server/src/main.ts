import 'reflect-metadata';
import { ConfigError, loadAppConfig } from './config/app-config';
import { createServer } from './create-server';

async function main(): Promise<void> {
  let config;
  try {
    config = loadAppConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`fleetprune: refusing to start.\n${error.message}`);
      process.exit(2);
    }
    throw error;
  }
  const server = await createServer(config);
  const lines = [
    '',
    'fleetprune is running',
    `  dashboard    ${server.httpUrl}/   (sign in with the operator token)`,
    `  HTTP API     ${server.httpUrl}/api   (OpenAPI docs: ${server.httpUrl}/api/docs)`,
    `  health       ${server.httpUrl}/health`,
    `  MQTT broker  ${server.mqttUrl}`,
    `  data         ${config.dataDir}${config.databaseUrl ? ' (database: PostgreSQL)' : ' (database: SQLite fleetprune.sqlite)'}`,
    server.tokenGenerated
      ? `  operator token (first start; also saved in ${config.dataDir}/admin-token):\n    ${server.token}`
      : `  operator token: ${config.adminToken ? 'from FLEETPRUNE_ADMIN_TOKEN' : `in ${config.dataDir}/admin-token`}`,
    '',
  ];
  console.log(lines.join('\n'));
}

main().catch((error: unknown) => {
  console.error('fleetprune: failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
