import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ORIGIN_VERIFY_HEADER } from "./instance/nginx.ts";
import { tags } from "./tags.ts";

export interface CdnArgs {
  /** Public DNS name of the web server (the origin, over HTTP inside AWS). */
  originDomain: pulumi.Input<string>;
  /** Header value CloudFront adds to every origin request; the origin refuses requests without it. */
  originVerifyValue: pulumi.Input<string>;
  /** Optional custom domain with its Route 53 hosted zone. */
  domain?: { name: string; hostedZoneId: string } | undefined;
}

/**
 * The HTTPS front end: a CloudFront distribution that redirects HTTP to HTTPS, never caches pages
 * or forms, caches the content-hashed static assets, and forwards the viewer's Host, scheme and
 * address so the service can set Secure cookies and check form origins.
 */
export class Cdn extends pulumi.ComponentResource {
  readonly distribution: aws.cloudfront.Distribution;
  /** The address users open: https:// plus the custom domain or the CloudFront domain. */
  readonly url: pulumi.Output<string>;

  constructor(name: string, args: CdnArgs, opts?: pulumi.ComponentResourceOptions) {
    super("expense-tracker:cdn:Cdn", name, {}, opts);
    const parent = { parent: this };
    const managedCache = (policy: string) =>
      aws.cloudfront.getCachePolicyOutput({ name: policy }, parent).apply((p) => p.id ?? "");
    const noCache = managedCache("Managed-CachingDisabled");
    const cacheStatic = managedCache("Managed-CachingOptimized");
    // All viewer headers (Host included) plus CloudFront-Forwarded-Proto, all cookies and query strings.
    const forwardViewer = aws.cloudfront
      .getOriginRequestPolicyOutput(
        { name: "Managed-AllViewerAndCloudFrontHeaders-2022-06" },
        parent,
      )
      .apply((p) => p.id ?? "");

    const certificate = args.domain ? this.createCertificate(name, args.domain) : undefined;
    const originId = "web-server";
    this.distribution = new aws.cloudfront.Distribution(
      `${name}-distribution`,
      {
        enabled: true,
        comment: `Expense tracker (${pulumi.getStack()})`,
        isIpv6Enabled: true,
        httpVersion: "http2and3",
        priceClass: "PriceClass_100",
        aliases: args.domain ? [args.domain.name] : [],
        origins: [
          {
            originId,
            domainName: args.originDomain,
            customOriginConfig: {
              // Inside AWS the leg to the origin is HTTP; the prefix list and the secret header guard it.
              originProtocolPolicy: "http-only",
              httpPort: 80,
              httpsPort: 443,
              originSslProtocols: ["TLSv1.2"],
              originReadTimeout: 30,
              originKeepaliveTimeout: 5,
            },
            customHeaders: [{ name: ORIGIN_VERIFY_HEADER, value: args.originVerifyValue }],
          },
        ],
        defaultCacheBehavior: {
          targetOriginId: originId,
          viewerProtocolPolicy: "redirect-to-https",
          allowedMethods: ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"],
          cachedMethods: ["GET", "HEAD"],
          cachePolicyId: noCache,
          originRequestPolicyId: forwardViewer,
          compress: true,
        },
        orderedCacheBehaviors: [
          {
            pathPattern: "/assets/*",
            targetOriginId: originId,
            viewerProtocolPolicy: "redirect-to-https",
            allowedMethods: ["GET", "HEAD"],
            cachedMethods: ["GET", "HEAD"],
            cachePolicyId: cacheStatic,
            compress: true,
          },
        ],
        restrictions: { geoRestriction: { restrictionType: "none" } },
        viewerCertificate: certificate
          ? {
              acmCertificateArn: certificate,
              sslSupportMethod: "sni-only",
              minimumProtocolVersion: "TLSv1.2_2021",
            }
          : { cloudfrontDefaultCertificate: true },
        tags: tags(`${name}-distribution`),
      },
      parent,
    );
    if (args.domain) this.createAliasRecords(name, args.domain);
    this.url = args.domain
      ? pulumi.output(`https://${args.domain.name}`)
      : pulumi.interpolate`https://${this.distribution.domainName}`;
    this.registerOutputs({ url: this.url });
  }

  /** An ACM certificate in us-east-1 (where CloudFront reads them), validated through Route 53. */
  private createCertificate(
    name: string,
    domain: { name: string; hostedZoneId: string },
  ): pulumi.Output<string> {
    // us-east-1 is named on each resource, so they use the stack's own credentials.
    const cert = new aws.acm.Certificate(
      `${name}-certificate`,
      {
        region: "us-east-1",
        domainName: domain.name,
        validationMethod: "DNS",
        tags: tags(`${name}-certificate`),
      },
      { parent: this },
    );
    const option = cert.domainValidationOptions.apply((o) => {
      const first = o[0];
      if (!first) throw new Error(`ACM returned no DNS validation record for ${domain.name}`);
      return first;
    });
    const record = new aws.route53.Record(
      `${name}-certificate-validation`,
      {
        zoneId: domain.hostedZoneId,
        name: option.resourceRecordName,
        type: option.resourceRecordType,
        records: [option.resourceRecordValue],
        ttl: 300,
        allowOverwrite: true,
      },
      { parent: this },
    );
    const validation = new aws.acm.CertificateValidation(
      `${name}-certificate`,
      { region: "us-east-1", certificateArn: cert.arn, validationRecordFqdns: [record.fqdn] },
      { parent: this },
    );
    return validation.certificateArn;
  }

  private createAliasRecords(name: string, domain: { name: string; hostedZoneId: string }): void {
    for (const type of ["A", "AAAA"]) {
      new aws.route53.Record(
        `${name}-alias-${type.toLowerCase()}`,
        {
          zoneId: domain.hostedZoneId,
          name: domain.name,
          type,
          aliases: [
            {
              name: this.distribution.domainName,
              zoneId: this.distribution.hostedZoneId,
              evaluateTargetHealth: false,
            },
          ],
        },
        { parent: this },
      );
    }
  }
}
