// The first-boot script cloud-init runs (runcmd) once packages are installed and files written:
// nginx, Node.js, the artifact, the RDS CA bundle, then the service. Any failure stops it, names
// the step on the console and makes cloud-init report an error.

import { CLOUDWATCH_AGENT_UNIT, cloudWatchAgentPackageUrl } from "./cloudwatch-agent.ts";
import type { UserDataInput } from "./input.ts";
import { NODE_VERSION, nodePackage, renderNodeInstall } from "./node-runtime.ts";
import {
  MIGRATE_UNIT_NAME,
  PATHS,
  SECRETS_UNIT_NAME,
  SERVICE_PORT,
  SERVICE_UNIT_NAME,
} from "./paths.ts";

/** How long the boot script waits for GET /readyz before failing the boot. */
export const READY_TIMEOUT_SECONDS = 180;

/** `/usr/local/sbin/expense-tracker-boot`, a bash script (values are checked by checkUserDataInput). */
export function renderBootScript(
  input: Pick<UserDataInput, "arch" | "region" | "artifact">,
): string {
  const node = nodePackage(input.arch);
  const { bucket, key, sha256 } = input.artifact;
  const region = input.region;
  const curl = "curl --fail --silent --show-error --location --retry 5 --retry-all-errors";
  return `#!/bin/bash
# First boot of the expense tracker instance. Rendered by infra/instance/boot-script.ts.
set -euo pipefail
step() { echo "expense-tracker-boot: $(date -u +%H:%M:%S) $*"; }
trap 'echo "expense-tracker-boot: FAILED at line $LINENO: $BASH_COMMAND" >&2' ERR

# First, so that port 80 stops serving nginx's welcome page at once: until the secrets unit writes
# the origin rule, the site refuses everything (403).
step "configuring nginx"
rm -f ${PATHS.nginxDefaultSite}
ln -sfn ${PATHS.nginxSite} ${PATHS.nginxSiteEnabled}
nginx -t
systemctl enable nginx.service
systemctl reload-or-restart nginx.service

step "installing Node.js ${NODE_VERSION} (${node.name})"
${renderNodeInstall(node, PATHS.nodeDir, curl)}

step "fetching s3://${bucket}/${key}"
install -d -m 0755 ${PATHS.appDir}
${PATHS.etFetch} s3 '${bucket}' '${key}' ${PATHS.artifact} --sha256 ${sha256} --mode 0644 --region ${region}

step "downloading the RDS CA bundle"
# No sha256 pin: AWS rotates this bundle; TLS to an AWS domain is the trust.
${curl} --max-time 60 -o ${PATHS.rdsCaFile}.partial 'https://truststore.pki.rds.amazonaws.com/${region}/${region}-bundle.pem'
grep -q 'BEGIN CERTIFICATE' ${PATHS.rdsCaFile}.partial
chmod 0644 ${PATHS.rdsCaFile}.partial
mv -f ${PATHS.rdsCaFile}.partial ${PATHS.rdsCaFile}

step "starting ${SERVICE_UNIT_NAME}"
# The log folder must exist before systemd opens the service's log file in it.
systemd-tmpfiles --create ${PATHS.tmpfiles}
systemctl daemon-reload
systemctl enable ${SERVICE_UNIT_NAME}
# Pulls in the secrets unit and the migration unit (Requires=), which finish first.
systemctl restart ${SERVICE_UNIT_NAME}

step "waiting for GET /readyz"
ready=0
for _ in $(seq 1 ${READY_TIMEOUT_SECONDS / 2}); do
    if curl --fail --silent --output /dev/null --max-time 2 http://127.0.0.1:${SERVICE_PORT}/readyz; then
        ready=1
        break
    fi
    sleep 2
done
if [ "$ready" != 1 ]; then
    journalctl --no-pager -n 50 -u ${SECRETS_UNIT_NAME} -u ${MIGRATE_UNIT_NAME} -u ${SERVICE_UNIT_NAME} >&2 || true
    tail -n 50 ${PATHS.serviceLog} >&2 || true
    echo "expense-tracker-boot: FAILED: not ready within ${READY_TIMEOUT_SECONDS} s" >&2
    exit 1
fi
step "ready"

# After the site is up, so the agent's download never delays it.
step "installing the CloudWatch agent"
work=$(mktemp -d)
${curl} --max-time 300 -o "$work/amazon-cloudwatch-agent.deb" '${cloudWatchAgentPackageUrl(region, input.arch)}'
# apt-get waits for the dpkg lock, which unattended-upgrades may hold on a first boot.
apt-get install -y -q -o DPkg::Lock::Timeout=600 "$work/amazon-cloudwatch-agent.deb"
rm -rf "$work"
/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s -c file:${PATHS.cloudWatchAgentConfig}
# Started at every boot, not only by this first one; a boot whose agent does not run fails.
systemctl enable ${CLOUDWATCH_AGENT_UNIT}
systemctl is-active --quiet ${CLOUDWATCH_AGENT_UNIT}
step "done"
`;
}
