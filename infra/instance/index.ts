// Everything the instance receives through cloud-init, rendered by pure functions.
export { READY_TIMEOUT_SECONDS, renderBootScript } from "./boot-script.ts";
export {
  CLOUDWATCH_AGENT_UNIT,
  cloudWatchAgentPackageUrl,
  renderCloudWatchAgentConfig,
  renderServiceLogrotate,
  SHIPPED_LOGS,
} from "./cloudwatch-agent.ts";
export { checkUserDataInput, type UserDataInput } from "./input.ts";
export {
  MIGRATE_WAIT_SECONDS,
  masterPasswordCommand,
  migrateCommand,
  renderMigrateEnvFile,
  renderMigrateUnit,
} from "./migrate-unit.ts";
export {
  MAX_BODY,
  type NginxSiteOptions,
  ORIGIN_VERIFY_HEADER,
  renderNginxSite,
  renderOriginVerifyPlaceholder,
  renderOriginVerifyScript,
} from "./nginx.ts";
export {
  type Arch,
  NODE_VERSION,
  type NodePackage,
  nodePackage,
  renderNodeInstall,
} from "./node-runtime.ts";
export {
  IMDS_ADDRESSES,
  MIGRATE_UNIT_NAME,
  PATHS,
  SECRETS_UNIT_NAME,
  SERVICE_PORT,
  SERVICE_UNIT_NAME,
  SERVICE_USER,
} from "./paths.ts";
export {
  CREDENTIALS,
  databaseUrl,
  renderEnvFile,
  renderEnvironment,
  renderSecretsUnit,
  renderServiceUnit,
  renderTmpfiles,
} from "./systemd.ts";
export {
  instanceFiles,
  type RenderedUserData,
  renderCloudConfig,
  renderEtFetch,
  renderUserData,
  USER_DATA_LIMIT_BYTES,
} from "./user-data.ts";
