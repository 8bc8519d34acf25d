// The whole AWS environment of the expense tracker: read and check config, create the
// components, export what an operator needs. Resource logic lives in the component files.
import * as pulumi from "@pulumi/pulumi";
import { buildService } from "../scripts/lib/build-service.ts";
import { ArtifactStore } from "./artifact.ts";
import { Cdn } from "./cdn.ts";
import { CONFIG_KEYS, PROJECT, validateConfig } from "./config.ts";
import { DATABASE_APP_USER, DATABASE_NAME, DATABASE_USER, Database } from "./database.ts";
import {
  deployedRestore,
  identifierOfEndpoint,
  isMajorUpgrade,
  resolveRestore,
  sameRestore,
} from "./database-rules.ts";
import { Firewall } from "./firewall.ts";
import { FlowLogs } from "./flow-logs.ts";
import { Logs } from "./logs.ts";
import { Monitoring } from "./monitoring.ts";
import { Network } from "./network.ts";
import { AppSecrets } from "./secrets.ts";
import { WebServer } from "./web-server.ts";

const config = new pulumi.Config(PROJECT);
// Read the secret raw so it can be checked before any resource exists; it is wrapped as a secret below.
const ownerPasswordValue = pulumi.runtime.getConfig(`${PROJECT}:ownerPassword`);
// Pulumi.yaml gives optional keys an empty default: empty means unset.
const raw = Object.fromEntries(CONFIG_KEYS.map((k) => [k, config.get(k) || undefined]));
const settings = validateConfig(raw, ownerPasswordValue);
// The major version this stack runs now is its own last `dbEngineVersion` output (none on a
// first deploy): read before anything is declared, so a refused upgrade changes nothing.
const deployed = new pulumi.StackReference(
  `${pulumi.getOrganization()}/${PROJECT}/${pulumi.getStack()}`,
);
const deployedEngine = (await deployed.getOutputDetails("dbEngineVersion")).value;
// A stack deployed before the identifier was fixed keeps its database: its identifier is the
// first label of the endpoint it exported. Changing it would replace the instance.
const deployedEndpoint = (await deployed.getOutputDetails("dbEndpoint")).value;
const deployedIdentifier = identifierOfEndpoint(deployedEndpoint);
// The snapshot or point in time the running instance came from: declared again on every deploy.
const restoredFrom = deployedRestore((await deployed.getOutputDetails("dbRestore")).value);
const restore = resolveRestore(settings.dbRestore, restoredFrom, deployedIdentifier);
const majorUpgrade = isMajorUpgrade(
  typeof deployedEngine === "string" ? deployedEngine : undefined,
  settings.dbEngineVersion,
  settings.applyImmediately,
);

// The same build as `npm run build`: this exact file is uploaded and verified on the instance.
const artifact = await buildService();

const name = "expense-tracker";
const network = new Network(name, { cidr: settings.vpcCidr });
if (settings.vpcFlowLogs) {
  new FlowLogs(name, { vpcId: network.vpc.id, retentionDays: settings.logRetentionDays });
}
const firewall = new Firewall(name, { vpcId: network.vpc.id, sshCidr: settings.ssh?.cidr });
const database = new Database(name, {
  subnetIds: network.privateSubnets.map((s) => s.id),
  securityGroupId: firewall.databaseGroup.id,
  instanceClass: settings.dbInstanceClass,
  engineVersion: settings.dbEngineVersion,
  allocatedStorage: settings.dbAllocatedStorage,
  backupRetentionDays: settings.dbBackupRetentionDays,
  protect: settings.deletionProtection,
  finalSnapshot: settings.dbFinalSnapshot,
  keepAutomatedBackups: settings.dbKeepAutomatedBackups,
  applyImmediately: settings.applyImmediately,
  majorUpgrade,
  logRetentionDays: settings.logRetentionDays,
  deployedIdentifier,
  restore,
  newRestore: restore !== undefined && !sameRestore(restore, restoredFrom),
});
const secrets = new AppSecrets(name, {
  ownerPassword: pulumi.secret(ownerPasswordValue ?? ""),
  protect: settings.deletionProtection,
});
const release = new ArtifactStore(name, {
  file: artifact.file,
  sha256: artifact.sha256,
  forceDestroy: !settings.deletionProtection,
});
const logs = new Logs(name, { retentionDays: settings.logRetentionDays });
const web = new WebServer(name, {
  subnetId: network.publicSubnets[0]?.id ?? "",
  securityGroupId: firewall.webGroup.id,
  instanceType: settings.instanceType,
  arch: settings.arch,
  artifact: {
    bucket: release.bucket.id,
    bucketArn: release.bucket.arn,
    key: release.key,
    sha256: artifact.sha256,
  },
  database: {
    host: database.instance.address,
    port: database.instance.port,
    name: DATABASE_NAME,
    user: DATABASE_USER,
    appUser: DATABASE_APP_USER,
    secretArn: database.secretArn,
  },
  secrets: {
    sessionSecretArn: secrets.sessionSecretArn,
    ownerPasswordArn: secrets.ownerPasswordArn,
    originVerifyArn: secrets.originVerifyArn,
    dbAppPasswordArn: secrets.dbAppPasswordArn,
  },
  ownerEmail: settings.ownerEmail,
  logLevel: settings.logLevel,
  // browser -> CloudFront -> nginx -> service
  trustProxy: 2,
  // Only a custom domain is known before the instance: CloudFront's name comes after it.
  publicUrl: settings.domain ? `https://${settings.domain.name}` : undefined,
  sshPublicKey: settings.ssh?.publicKey,
  detailedMonitoring: settings.detailedMonitoring,
  logGroupName: logs.group.name,
  logRetentionDays: settings.logRetentionDays,
  // The secrets' values, and the build: on an upgrade the new instance must not boot (and fetch
  // its key) before the upload is done.
  dependsOn: [...secrets.versions, release.object],
});
const cdn = new Cdn(name, {
  originDomain: web.address.publicDns,
  originVerifyValue: secrets.originVerifyValue,
  domain: settings.domain,
});

const monitoring = new Monitoring(name, {
  alertEmail: settings.alertEmail,
  instanceId: web.servingInstanceId,
  instanceType: settings.instanceType,
  detailedMonitoring: settings.detailedMonitoring,
  cpuThreshold: settings.cpuAlarmThreshold,
  dbInstanceId: database.instance.identifier,
  logGroupName: logs.groupName,
  http5xxThreshold: settings.http5xxThreshold,
  monthlyBudgetUsd: settings.monthlyBudgetUsd,
  publicHost: settings.domain?.name ?? cdn.distribution.domainName,
  distributionId: cdn.distribution.id,
  // The whole CDN: with a custom domain, its alias records too.
  siteReady: [web.association, cdn],
});

/** The address to open. */
export const url = cdn.url;
export const dbEndpoint = database.instance.endpoint;
/** The PostgreSQL major version deployed; the next deploy compares its config against it. */
export const dbEngineVersion = settings.dbEngineVersion;
/** What the database was restored from, if it was; later deploys keep the instance it made. */
export const dbRestore = restore;
/** The instance that serves (the Elastic IP's); `npm run stress`, `logs` and SSM sessions use it. */
export const instanceId = web.servingInstanceId;
export const artifactSha256 = artifact.sha256;
export const alertTopicArn = monitoring.topic.arn;
export const cpuAlarmName = monitoring.cpuAlarm.name;
export const dashboardUrl = monitoring.dashboardUrl;
export const logGroupName = logs.groupName;
