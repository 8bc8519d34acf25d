// Run by `pulumi up` (a local command in infra/web-server.ts) after it creates an instance: exits
// 0 once the instance serves /readyz, so the site's address moves to it only then.
//   INSTANCE_ID=i-... AWS_REGION=eu-central-1 node --import=tsx scripts/wait-for-instance.ts
import { SSMClient } from "@aws-sdk/client-ssm";
import { awsClientConfig } from "./ops/aws.ts";
import { systemClock } from "./ops/clock.ts";
import { InstanceNotReadyError, waitForInstanceReady } from "./ops/instance-ready.ts";

const instanceId = process.env.INSTANCE_ID;
const region = process.env.AWS_REGION;
if (!instanceId || !region) {
  console.error("wait-for-instance: set INSTANCE_ID and AWS_REGION");
  process.exit(2);
}
try {
  await waitForInstanceReady({
    ssm: new SSMClient(awsClientConfig(region)),
    instanceId,
    clock: systemClock,
    print: (line) => console.error(`wait-for-instance: ${line}`),
  });
} catch (err) {
  console.error(
    `wait-for-instance: ${err instanceof InstanceNotReadyError ? err.message : (err as Error).message}`,
  );
  process.exit(1);
}
