// What AWS would answer the mocked program: the outputs it computes for each resource type the
// program reads, and the look-ups (invokes) it makes. Any other invoke fails the test.
export const REGION = "eu-central-1";
export const CLOUDFRONT_PREFIX_LIST_ID = "pl-a3a144ca";
export const CACHE_POLICY_IDS: Record<string, string> = {
  "Managed-CachingDisabled": "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
  "Managed-CachingOptimized": "658327ea-f89d-4fab-a63d-7e88639e58f6",
};
export const ORIGIN_REQUEST_POLICY_IDS: Record<string, string> = {
  "Managed-AllViewerAndCloudFrontHeaders-2022-06": "33f36d7e-f396-46d9-90e0-52428a34d9dc",
};

/** Values AWS would compute, for the resource types whose outputs the program uses. */
export function computedState(
  type: string,
  name: string,
  inputs: Record<string, unknown>,
): Record<string, unknown> {
  const arn = `arn:aws:${type.split(":")[1]?.split("/")[0]}:${REGION}:123456789012:${name}`;
  switch (type) {
    case "aws:rds/instance:Instance":
      return {
        arn,
        identifier: inputs.identifier ?? `${name}-0a1b2c3`,
        address: `${name}.abcdefghij.${REGION}.rds.amazonaws.com`,
        port: 5432,
        endpoint: `${name}.abcdefghij.${REGION}.rds.amazonaws.com:5432`,
        masterUserSecrets: [
          {
            secretArn: `arn:aws:secretsmanager:${REGION}:123456789012:secret:rds!db-1234`,
            secretStatus: "active",
            kmsKeyId: "",
          },
        ],
      };
    case "aws:ec2/instance:Instance":
      return {
        arn,
        publicDns: `ec2-203-0-113-10.${REGION}.compute.amazonaws.com`,
        publicIp: "203.0.113.10",
      };
    case "aws:cloudfront/distribution:Distribution":
      return { arn, domainName: "d111111abcdef8.cloudfront.net", hostedZoneId: "Z2FDTNDATAQYW2" };
    case "aws:s3/bucket:Bucket":
      return { arn: `arn:aws:s3:::${name}-bucket123`, bucket: `${name}-bucket123` };
    case "aws:secretsmanager/secret:Secret":
      return { arn: `arn:aws:secretsmanager:${REGION}:123456789012:secret:${name}-AbCdEf` };
    case "aws:ec2/eip:Eip":
      return {
        allocationId: `eipalloc-${name}`,
        publicIp: "198.51.100.20",
        publicDns: `ec2-198-51-100-20.${REGION}.compute.amazonaws.com`,
      };
    case "random:index/randomId:RandomId":
      return { hex: "a1b2c3d4" };
    case "aws:ec2/keyPair:KeyPair":
      return { keyName: `${name}-key` };
    case "random:index/randomPassword:RandomPassword":
      return { result: `generated-${name}-${"x".repeat(Number(inputs.length ?? 16))}` };
    case "aws:acm/certificate:Certificate":
      return {
        arn,
        domainValidationOptions: [
          {
            domainName: inputs.domainName,
            resourceRecordName: `_x.${inputs.domainName}.`,
            resourceRecordType: "CNAME",
            resourceRecordValue: "_y.acm-validations.aws.",
          },
        ],
      };
    case "aws:route53/record:Record":
      return { fqdn: String(inputs.name) };
    case "aws:acm/certificateValidation:CertificateValidation":
      return { certificateArn: inputs.certificateArn };
    default:
      return { arn };
  }
}

/** Answers the invokes the program makes; any other invoke fails the test. */
export function answerInvoke(
  token: string,
  inputs: Record<string, unknown>,
): Record<string, unknown> {
  switch (token) {
    case "aws:index/getAvailabilityZones:getAvailabilityZones":
      return {
        names: [`${REGION}a`, `${REGION}b`, `${REGION}c`],
        zoneIds: ["euc1-az2", "euc1-az3", "euc1-az1"],
        id: REGION,
      };
    case "aws:index/getRegion:getRegion":
      return { region: REGION, name: REGION, id: REGION };
    case "aws:index/getPartition:getPartition":
      return { partition: "aws", dnsSuffix: "amazonaws.com", id: "aws" };
    case "aws:ec2/getAmi:getAmi": {
      const filters = inputs.filters as { name: string; values: string[] }[];
      const arch = filters.find((f) => f.name === "architecture")?.values[0];
      return {
        id: arch === "arm64" ? "ami-0arm64ubuntu2404" : "ami-0amd64ubuntu2404",
        architecture: arch,
      };
    }
    case "aws:ec2/getManagedPrefixList:getManagedPrefixList":
      if (inputs.name !== "com.amazonaws.global.cloudfront.origin-facing")
        throw new Error(`unexpected prefix list ${inputs.name}`);
      return { id: CLOUDFRONT_PREFIX_LIST_ID, name: inputs.name };
    case "aws:cloudfront/getCachePolicy:getCachePolicy": {
      const id = CACHE_POLICY_IDS[String(inputs.name)];
      if (!id) throw new Error(`unexpected cache policy ${inputs.name}`);
      return { id, name: inputs.name };
    }
    case "aws:cloudfront/getOriginRequestPolicy:getOriginRequestPolicy": {
      const id = ORIGIN_REQUEST_POLICY_IDS[String(inputs.name)];
      if (!id) throw new Error(`unexpected origin request policy ${inputs.name}`);
      return { id, name: inputs.name };
    }
    default:
      throw new Error(`unexpected invoke ${token} ${JSON.stringify(inputs)}`);
  }
}
