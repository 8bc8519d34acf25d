import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { tags } from "./tags.ts";

export interface ArtifactStoreArgs {
  /** Path of the built service (from `buildService`). */
  file: string;
  /** Its sha256; part of the object key, and checked by the instance before installing. */
  sha256: string;
  /** Let `pulumi destroy` empty and delete the bucket. */
  forceDestroy: boolean;
}

/** A private, encrypted, versioned, TLS-only bucket holding the exact file `npm run build` produced. */
export class ArtifactStore extends pulumi.ComponentResource {
  readonly bucket: aws.s3.Bucket;
  readonly key: string;
  readonly object: aws.s3.BucketObjectv2;

  constructor(name: string, args: ArtifactStoreArgs, opts?: pulumi.ComponentResourceOptions) {
    super("expense-tracker:artifact:ArtifactStore", name, {}, opts);
    const parent = { parent: this };
    this.bucket = new aws.s3.Bucket(
      `${name}-bucket`,
      { forceDestroy: args.forceDestroy, tags: tags(`${name}-bucket`) },
      parent,
    );
    const block = new aws.s3.BucketPublicAccessBlock(
      `${name}-public-access`,
      {
        bucket: this.bucket.id,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      },
      parent,
    );
    new aws.s3.BucketOwnershipControls(
      `${name}-ownership`,
      { bucket: this.bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } },
      parent,
    );
    new aws.s3.BucketServerSideEncryptionConfiguration(
      `${name}-encryption`,
      {
        bucket: this.bucket.id,
        rules: [
          {
            applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" },
            bucketKeyEnabled: true,
          },
        ],
      },
      parent,
    );
    // Keeps every version, so a release overwritten or deleted by mistake can be brought back;
    // old versions expire after 30 days so the bucket does not grow with each deploy.
    const versioning = new aws.s3.BucketVersioning(
      `${name}-versioning`,
      { bucket: this.bucket.id, versioningConfiguration: { status: "Enabled" } },
      parent,
    );
    new aws.s3.BucketLifecycleConfiguration(
      `${name}-lifecycle`,
      {
        bucket: this.bucket.id,
        rules: [
          {
            id: "expire-old-versions",
            status: "Enabled",
            filter: {},
            noncurrentVersionExpiration: { noncurrentDays: 30 },
            abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
          },
        ],
      },
      { ...parent, dependsOn: [versioning] },
    );
    // Refuses any request that does not arrive over TLS (Security Hub S3.5).
    new aws.s3.BucketPolicy(
      `${name}-tls-only`,
      {
        bucket: this.bucket.id,
        policy: this.bucket.arn.apply((arn) =>
          JSON.stringify({
            Version: "2012-10-17",
            Statement: [
              {
                Sid: "DenyInsecureTransport",
                Effect: "Deny",
                Principal: "*",
                Action: "s3:*",
                Resource: [arn, `${arn}/*`],
                Condition: { Bool: { "aws:SecureTransport": "false" } },
              },
            ],
          }),
        ),
      },
      // After the public access block, whose settings S3 checks every policy against.
      { ...parent, dependsOn: [block] },
    );
    this.key = `releases/expense-tracker-${args.sha256}.mjs`;
    this.object = new aws.s3.BucketObjectv2(
      `${name}-release`,
      {
        bucket: this.bucket.id,
        key: this.key,
        source: new pulumi.asset.FileAsset(args.file),
        contentType: "text/javascript",
        tags: tags(`${name}-release`),
      },
      { ...parent, dependsOn: [block] },
    );
    this.registerOutputs({ bucket: this.bucket.id, key: this.key });
  }
}
